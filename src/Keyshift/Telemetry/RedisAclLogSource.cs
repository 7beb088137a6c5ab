using System.Globalization;
using Keyshift.Issuers.Redis;

namespace Keyshift.Telemetry;

/// <summary>
/// Refused attempts from <c>ACL LOG</c>: an authentication failure for a user is evidence that someone still
/// tries a credential (typically the retired one). Times are the server's <c>age-seconds</c> before now. The cursor is
/// the time of the newest entry already reported: ACL LOG lists the same entries every time, and an entry whose
/// last occurrence is not more than a second newer than the cursor is not reported again.
/// </summary>
public sealed class RedisAclLogSource(string name, Func<CancellationToken, Task<RespClient>> open, TimeProvider time) : TelemetrySource(name)
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);

    public override bool IsSampled => true;

    public override async ValueTask<TelemetryBatch> CollectAsync(string? cursor, CancellationToken cancellationToken)
    {
        try
        {
            await using var client = await open(cancellationToken);
            var reply = await client.SendAsync(cancellationToken, "ACL", "LOG", "128");
            if (reply.IsError)
                throw new TelemetryException($"telemetry '{Name}': ACL LOG failed: {reply.Text}");
            var now = time.GetUtcNow();
            var seen = long.TryParse(cursor, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.MinValue;
            var newest = seen;
            var observations = new List<Observation>();
            foreach (var entry in reply.Items ?? [])
            {
                var fields = new Dictionary<string, RespValue>(StringComparer.Ordinal);
                for (var i = 0; i + 1 < (entry.Items?.Count ?? 0); i += 2)
                    fields[entry.Items![i].Text ?? ""] = entry.Items[i + 1];
                if (fields.GetValueOrDefault("username")?.Text is not { } user)
                    continue;
                var age = double.TryParse(fields.GetValueOrDefault("age-seconds")?.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) ? a : 0;
                var count = (int)(fields.GetValueOrDefault("count")?.Integer ?? 1);
                var at = now - TimeSpan.FromSeconds(age);
                // `now - age` of one entry differs between rounds by the reply's latency: within the tolerance it is the same entry.
                if (at <= seen + Tolerance)
                    continue;
                if (at > newest)
                    newest = at;
                observations.Add(new Observation("redis-acl-log", user, at, count,
                    $"reason={fields.GetValueOrDefault("reason")?.Text} client={fields.GetValueOrDefault("client-info")?.Text?.Split(' ').FirstOrDefault(p => p.StartsWith("addr=", StringComparison.Ordinal))}"));
            }
            return new TelemetryBatch(Name, observations, Coverage.At(now), newest == DateTimeOffset.MinValue ? cursor : newest.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is Issuers.IssuerException or IOException)
        {
            throw new TelemetryException($"telemetry '{Name}': {e.Message}", e);
        }
    }
}
