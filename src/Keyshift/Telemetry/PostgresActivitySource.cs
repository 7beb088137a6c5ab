using Npgsql;

namespace Keyshift.Telemetry;

/// <summary>
/// Sessions by role from <c>pg_stat_activity</c>, sampled: one observation per role with open client sessions,
/// counting them. Short connections between samples are missed, which is why the connection log exists too.
/// </summary>
public sealed class PostgresActivitySource(string name, Func<CancellationToken, Task<NpgsqlConnection>> open, TimeProvider time) : TelemetrySource(name)
{
    public override bool IsSampled => true;

    public override async ValueTask<TelemetryBatch> CollectAsync(string? cursor, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await open(cancellationToken);
            await using var command = new NpgsqlCommand("""
                SELECT usename, count(*)::int, string_agg(DISTINCT coalesce(datname, ''), ',')
                  FROM pg_stat_activity
                 WHERE usename IS NOT NULL AND backend_type = 'client backend' AND pid <> pg_backend_pid()
                 GROUP BY usename
                """, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var now = time.GetUtcNow();
            var observations = new List<Observation>();
            while (await reader.ReadAsync(cancellationToken))
                observations.Add(new Observation("pg_stat_activity", reader.GetString(0), now, reader.GetInt32(1), $"database={reader.GetString(2)}"));
            return new TelemetryBatch(Name, observations, Coverage.At(now), null);
        }
        catch (Exception e) when (e is Issuers.IssuerException or NpgsqlException)
        {
            throw new TelemetryException($"telemetry '{Name}': {e.Message}", e);
        }
    }
}
