using Microsoft.EntityFrameworkCore;

namespace Keyshift.State;

/// <summary>
/// A shift-mode rollback the gateway made by itself, kept so that a restart does not undo it: while the row exists
/// the integration's shift share goes to legacy. <c>keyshift gateway --reset-rollback NAME</c> removes it (audited).
/// </summary>
public sealed class GatewayRollbackRecord
{
    public required string Integration { get; set; }

    /// <summary><c>errorRate</c> or <c>diffRate</c>.</summary>
    public required string Rule { get; set; }

    /// <summary>Failed answers or differing comparisons in the window when it tripped.</summary>
    public int Count { get; set; }

    public int Window { get; set; }

    public int ThresholdPercent { get; set; }

    public DateTimeOffset At { get; set; }

    internal static void Configure(ModelBuilder modelBuilder) => modelBuilder.Entity<GatewayRollbackRecord>(e =>
    {
        e.ToTable("gateway_rollbacks").HasKey(r => r.Integration);
        e.Property(r => r.At).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
    });

    /// <summary>Adds the table to a state database created before it existed.</summary>
    public static void EnsureTable(StateDb db) => UsageRecord.EnsureTable(db, "gateway_rollbacks");
}
