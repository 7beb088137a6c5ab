using Microsoft.EntityFrameworkCore;

namespace Keyshift.State;

/// <summary>
/// One row of the gateway's usage ledger: traffic of one consumer's credential (by keyed fingerprint, never
/// the value) to one endpoint with one auth scheme, on one side (<c>legacy</c>, <c>new</c>) or the shadow
/// comparisons (<c>shadow</c>). Counts accumulate across flushes and gateway runs.
/// </summary>
public sealed class UsageRecord
{
    public long Id { get; set; }

    public required string Integration { get; set; }

    public required string Consumer { get; set; }

    /// <summary>Keyed fingerprint of the credential presented; empty for shadow rows.</summary>
    public required string CredentialFingerprint { get; set; }

    /// <summary>Method and route template (<c>GET /v1/charges/{id}</c>).</summary>
    public required string Endpoint { get; set; }

    public required string AuthScheme { get; set; }

    /// <summary><c>legacy</c>, <c>new</c> or <c>shadow</c>.</summary>
    public required string Target { get; set; }

    public long Count { get; set; }

    /// <summary>Answers that were 5xx or never came.</summary>
    public long Errors { get; set; }

    /// <summary>Status code counts as <c>200=12,404=1</c>.</summary>
    public string StatusCodes { get; set; } = "";

    public double LatencyTotalMs { get; set; }

    public double LatencyMaxMs { get; set; }

    /// <summary>Latency histogram: counts per bucket of <c>UsageLatency.Bounds</c>, comma separated.</summary>
    public string LatencyBuckets { get; set; } = "";

    /// <summary>Shadow rows: comparisons that differed.</summary>
    public long Differences { get; set; }

    /// <summary>Shadow rows: differing JSON paths with counts, <c>$.amount=3,status=1</c>; never values.</summary>
    public string DiffPaths { get; set; } = "";

    public DateTimeOffset FirstSeen { get; set; }

    public DateTimeOffset LastSeen { get; set; }

    internal static void Configure(ModelBuilder modelBuilder) => modelBuilder.Entity<UsageRecord>(e =>
    {
        e.ToTable("usage_ledger").HasKey(u => u.Id);
        e.HasIndex(u => new { u.Integration, u.Consumer, u.CredentialFingerprint, u.Endpoint, u.AuthScheme, u.Target }).IsUnique();
        // SQLite cannot order or compare DateTimeOffset natively; store UTC ticks.
        e.Property(u => u.FirstSeen).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        e.Property(u => u.LastSeen).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
    });

    /// <summary>
    /// Adds the ledger table to a state database created before the table existed (EnsureCreated only
    /// creates a schema from nothing), using EF's own DDL for it.
    /// </summary>
    public static void EnsureTable(StateDb db) => EnsureTable(db, "usage_ledger");

    /// <summary>Creates <paramref name="table"/> and its indexes from EF's own DDL when they do not exist yet.</summary>
    internal static void EnsureTable(StateDb db, string table)
    {
        var script = db.Database.GenerateCreateScript();
        foreach (var statement in script.Split(';'))
        {
            if (!statement.Contains($"\"{table}\"", StringComparison.Ordinal))
                continue;
            var sql = statement.Trim()
                .Replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", StringComparison.Ordinal)
                .Replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", StringComparison.Ordinal)
                .Replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", StringComparison.Ordinal);
            db.Database.ExecuteSqlRaw(sql);
        }
    }
}
