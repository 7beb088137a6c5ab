using Keyshift.Issuers.Redis;

namespace Keyshift.Telemetry;

/// <summary>Connected clients by ACL user from <c>CLIENT LIST</c>, sampled (the admin's own connection excluded).</summary>
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
            foreach (var line in (reply.Text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var fields = Parse(line);
                if (fields.GetValueOrDefault("id") == self.ToString(System.Globalization.CultureInfo.InvariantCulture) || fields.GetValueOrDefault("user") is not { } user)
                    continue;
                if (!byUser.TryGetValue(user, out var entry))
                    byUser[user] = entry = (0, new HashSet<string>(StringComparer.Ordinal));
                entry.Addresses.Add(fields.GetValueOrDefault("addr") ?? "?");
                byUser[user] = (entry.Count + 1, entry.Addresses);
            }
            var observations = byUser.Select(u => new Observation("redis-clients", u.Key, now, u.Value.Count, $"addr={string.Join(',', u.Value.Addresses.Order(StringComparer.Ordinal))}")).ToList();
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
