using Keyshift.Configuration;
using Keyshift.Execution;
using Keyshift.Secrets;
using Keyshift.State;

namespace Keyshift.Planning;

/// <summary>Computes the plan: expands the moves, reads both sides once per store, and classifies each target.</summary>
public static class Planner
{
    public static async Task<Plan> CreateAsync(Migration migration, CancellationToken cancellationToken)
    {
        var records = migration.LoadRecords();
        var moves = await MoveExpander.ExpandAsync(migration.Config, records, cancellationToken);
        var sources = await migration.ReadAsync(moves.Select(m => m.PrimarySource), cancellationToken);
        var targets = await migration.ReadAsync(moves.Select(m => m.PrimaryTarget), cancellationToken);
        var errors = new ErrorList();
        var planned = new List<PlannedMove>(moves.Count);
        foreach (var move in moves)
        {
            records.TryGetValue(move.Id, out var record);
            var sourceFp = sources.TryGetValue(move.PrimarySource, out var s) ? migration.Fingerprint(s) : null;
            var targetFp = targets.TryGetValue(move.PrimaryTarget, out var t) ? migration.Fingerprint(t) : null;
            var state = record?.State ?? MoveState.Planned;
            if (sourceFp is null && state is MoveState.Planned or MoveState.RolledBack && record?.PendingStep is null)
            {
                errors.Add(move.Config.Location, "from", $"source secret '{move.PrimarySource}' not found in store '{move.Source.Store}'");
                continue;
            }
            if (move.IsIntegration && targetFp is null && state is MoveState.Planned or MoveState.RolledBack or MoveState.Failed)
            {
                errors.Add(move.Config.Location, "to", $"the new credential of consumer '{move.Config.IntegrationConsumer}' ({move.Target}) is empty: its legacy key can be retired only once the new credential is in place");
                continue;
            }
            var outcome = move.IsIntegration ? ClassifyIntegration(state, record, sourceFp) : Classify(migration.Config, move, record, state, sourceFp, targetFp);
            planned.Add(new PlannedMove(move, state, outcome, sourceFp, targetFp, NextStep(state, outcome)));
        }
        errors.ThrowIfAny();
        return new Plan(migration.Config.Hash, planned);
    }

    private static PlanOutcome Classify(KeyshiftConfig config, Move move, MoveRecord? record, MoveState state, string? sourceFp, string? targetFp)
    {
        switch (state)
        {
            case MoveState.Retired or MoveState.Compromised:
                return PlanOutcome.Done;
            case MoveState.Staged or MoveState.Verified or MoveState.DualRun:
                if (sourceFp is null || sourceFp == record!.SourceFingerprint)
                    return PlanOutcome.InProgress;
                break;
        }
        // A credential stage cut short may have written fields Keyshift has not recorded yet: it resumes, it is no conflict.
        if (move.IsCredential && record?.PendingStep == "stage")
            return record.TargetBefore == TargetBefore.Escrowed ? PlanOutcome.Overwrite : PlanOutcome.Update;
        if (targetFp is null)
            return PlanOutcome.Create;
        if (targetFp == sourceFp && !move.IsCredential)
            return PlanOutcome.NoOp;
        var keyshiftWrote = record is not null && (targetFp == record.WrittenFingerprint || targetFp == record.IntentFingerprint);
        if (keyshiftWrote)
            return PlanOutcome.Update;
        if (record is { TargetBefore: TargetBefore.Escrowed, PendingStep: "stage" })
            return PlanOutcome.Overwrite;
        var policy = move.Config.OnConflict ?? config.OnConflict;
        return policy == ConflictPolicy.Overwrite ? PlanOutcome.Overwrite : PlanOutcome.Conflict;
    }

    /// <summary>An integration move writes nothing: its target is the consumer's new credential, already in place.</summary>
    private static PlanOutcome ClassifyIntegration(MoveState state, MoveRecord? record, string? sourceFp) => state switch
    {
        MoveState.Retired or MoveState.Compromised => PlanOutcome.Done,
        MoveState.Staged or MoveState.Verified or MoveState.DualRun when sourceFp is null || sourceFp == record!.SourceFingerprint => PlanOutcome.InProgress,
        _ => PlanOutcome.NoOp,
    };

    private static string NextStep(MoveState state, PlanOutcome outcome) => (state, outcome) switch
    {
        (_, PlanOutcome.Conflict) => "blocked: conflict",
        (_, PlanOutcome.Done) => "none",
        (_, PlanOutcome.Create or PlanOutcome.Update or PlanOutcome.Overwrite or PlanOutcome.NoOp) => "stage",
        (MoveState.Staged, _) => "verify",
        (MoveState.Verified, _) => "cutover",
        (MoveState.DualRun, _) => "retire",
        (MoveState.Failed, _) => "retry",
        _ => "stage",
    };
}
