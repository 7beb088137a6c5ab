using Keyshift.Planning;
using Keyshift.State;

namespace Keyshift.Execution;

/// <summary>One move as <c>status</c> shows it: its state, next step and the gates before retirement.</summary>
public sealed record MoveStatus(PlannedMove Planned, MoveRecord? Record, IReadOnlyList<Gate> Gates, int Approvals)
{
    public MoveState State => Planned.State;

    public string Id => Planned.Id;

    /// <summary>Computes every move's status from the plan (which already read both sides) and the state.</summary>
    public static IReadOnlyList<MoveStatus> For(Migration migration, Plan plan)
    {
        var records = migration.LoadRecords();
        var approvals = migration.Db.Approvals.GroupBy(a => a.MoveId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionary(x => x.Key, x => x.Count, StringComparer.Ordinal);
        var now = migration.Time.GetUtcNow();
        return plan.Moves.Select(p =>
        {
            var record = records.GetValueOrDefault(p.Id);
            var count = approvals.GetValueOrDefault(p.Id);
            var quiet = record is not { State: MoveState.DualRun } ? null
                : p.Move.IsIntegration && p.SourceFingerprint is { } key
                    ? UsageLedgerGate.QuietWindow(migration, p.Move.Config.Integration!, p.Move.Config.IntegrationConsumer!, key, migration.Config.Cutover.QuietWindow, now)
                : p.Move.Issuer is { } issuer
                    ? UsageEvidence.QuietWindow(migration, issuer, UsageEvidence.OldUsername(record, p.Move.Config.Account!), record.NewDescriptor is { } json ? Issuers.CredentialDescriptor.FromJson(json).Username : null, migration.Config.Cutover.QuietWindow, now, record.StagedAt)
                    : null;
            var gates = record is { State: MoveState.DualRun }
                ? Execution.Gates.ForRetire(record, migration.Config.Cutover, now, count, p.TargetFingerprint == record.WrittenFingerprint, quiet, p.Move.IsCredential ? Execution.Gates.Probe(p.Move.Config) : null)
                : [];
            return new MoveStatus(p, record, gates, count);
        }).ToList();
    }
}
