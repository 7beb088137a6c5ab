using Keyshift.Apis.Integrations;
using Keyshift.Audit;
using Keyshift.Configuration;
using Keyshift.Execution;
using Keyshift.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Keyshift.Gateway;

/// <summary>Shift rollbacks kept in the state database: recorded when a guard trips, restored at start, reset by the operator.</summary>
internal sealed partial class GatewayServer
{
    private static void RestoreRollbacks(Migration migration, IReadOnlyList<IntegrationRuntime> integrations, ILogger logger)
    {
        GatewayRollbackRecord.EnsureTable(migration.Db);
        var rolledBack = migration.Db.GatewayRollbacks.AsNoTracking().Select(r => r.Integration).ToHashSet(StringComparer.Ordinal);
        foreach (var integration in integrations.Where(i => rolledBack.Contains(i.Name)))
        {
            integration.Guard.Restore();
            Log.RollbackRestored(logger, integration.Name);
        }
    }

    /// <summary>
    /// Forgets the rollbacks recorded for <paramref name="names"/> (each removal audited), so shift mode resumes at the
    /// next start; an integration not in the config is bad input and nothing changes.
    /// </summary>
    public static void ResetRollbacks(Migration migration, IntegrationSet set, IReadOnlyCollection<string> names)
    {
        var unknown = names.Where(n => set.Integrations.All(i => i.Name != n)).ToList();
        if (unknown.Count > 0)
            throw new BadInputException(null, "--reset-rollback", $"unknown integration {string.Join(", ", unknown)}; declared: {string.Join(", ", set.Integrations.Select(i => i.Name))}");
        if (names.Count == 0)
            return;
        migration.Persist();
        GatewayRollbackRecord.EnsureTable(migration.Db);
        var rows = migration.Db.GatewayRollbacks.Where(r => names.Contains(r.Integration)).ToList();
        if (rows.Count == 0)
            return;
        migration.Db.GatewayRollbacks.RemoveRange(rows);
        migration.Commit(rows.Select(r => new AuditRecord
        {
            Action = "gateway.rollback-reset",
            Result = "ok",
            Actor = "operator",
            Evidence = AuditEvidence.None.WithText("integration", r.Integration).WithText("rule", r.Rule).WithText("rolledBackAt", r.At.ToString("u", System.Globalization.CultureInfo.InvariantCulture)),
        }).ToList());
        migration.Db.ChangeTracker.Clear();
    }

    /// <summary>Audits the rollback and keeps it in the state database, so a restart stays on legacy.</summary>
    private void RecordRollback(IntegrationRuntime integration, ShiftTrip trip)
    {
        lock (_db)
        {
            var db = _migration.Db;
            if (db.GatewayRollbacks.Find(integration.Name) is null)
                db.GatewayRollbacks.Add(new GatewayRollbackRecord
            {
                Integration = integration.Name, Rule = trip.Rule, Count = trip.Count, Window = trip.Total, ThresholdPercent = trip.ThresholdPercent,
                At = _migration.Time.GetUtcNow(),
            });
            try
            {
                _migration.Commit([new AuditRecord
                {
                    Action = "gateway.rollback",
                    Result = "ok",
                    Actor = "gateway",
                    Evidence = AuditEvidence.None.WithText("integration", integration.Name).WithText("rule", trip.Rule).With(trip.Rule == "diffRate" ? "differed" : "failed", trip.Count)
                        .With("window", trip.Total).With($"{trip.Rule}Percent", trip.ThresholdPercent).WithText("routedTo", "legacy"),
                }]);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }
}
