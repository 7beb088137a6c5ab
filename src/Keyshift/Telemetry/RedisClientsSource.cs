using Keyshift.Issuers.Redis;

namespace Keyshift.Telemetry;

/// <summary>
/// Connected clients by ACL user from <c>CLIENT LIST</c>, sampled (the admin's own connection excluded). The detail
/// names when the user's oldest connection was opened (<c>opened=</c>, from <c>age</c>): where old and new passwords
/// share one user, a connection opened before the new password existed can only be using an old one.
/// </summary>
public sealed class RedisClientsSource(string name, Func<CancellationToken, Task<RespClient>> open, TimeProvider time) : TelemetrySource(name)
{
    public override bool IsSampled => true;

    public override async ValueTask<TelemetryBatch> CollectAsync(string? cursor, CancellationToken cancellationToken)
    {
        try
        {
            await using var client = await open(cancellationToken);
            var self = (await client.SendAsync(cancellationToken, "CLIENT", "ID")).Integer;
            var reply = await client.SendAsync(cancellationToken, "CLIENT", "LIST");
            if (reply.IsError)
                throw new TelemetryException($"telemetry '{Name}': CLIENT LIST failed: {reply.Text}");
            var now = time.GetUtcNow();
            var byUser = new Dictionary<string, (int Count, HashSet<string> Addresses)>(StringComparer.Ordinal);
            var oldest = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var line in (reply.Text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var fields = Parse(line);
                if (fields.GetValueOrDefault("id") == self.ToString(System.Globalization.CultureInfo.InvariantCulture) || fields.GetValueOrDefault("user") is not { } user)
                    continue;
                if (!byUser.TryGetValue(user, out var entry))
                    byUser[user] = entry = (0, new HashSet<string>(StringComparer.Ordinal));
                entry.Addresses.Add(fields.GetValueOrDefault("addr") ?? "?");
                if (long.TryParse(fields.GetValueOrDefault("age"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var age))
                    oldest[user] = Math.Max(oldest.GetValueOrDefault(user), age);
                byUser[user] = (entry.Count + 1, entry.Addresses);
            }
            var observations = byUser.Select(u => new Observation("redis-clients", u.Key, now, u.Value.Count, $"addr={string.Join(',', u.Value.Addresses.Order(StringComparer.Ordinal))} opened={(now - TimeSpan.FromSeconds(oldest.GetValueOrDefault(u.Key))).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)}")).ToList();
            return new TelemetryBatch(Name, observations, Coverage.At(now), null);
        }
        catch (Exception e) when (e is Issuers.IssuerException or IOException)
        {
            throw new TelemetryException($"telemetry '{Name}': {e.Message}", e);
        }
    }

    private static Dictionary<string, string> Parse(string line)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
                fields[part[..eq]] = part[(eq + 1)..];
        }
        return fields;
    }
}
