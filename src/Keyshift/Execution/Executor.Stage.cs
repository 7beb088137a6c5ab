using System.Text.Json;
using Keyshift.Planning;
using Keyshift.State;
using Keyshift.Stores;

namespace Keyshift.Execution;

public sealed partial class Executor
{
    private async Task StageAsync(List<PlannedMove> toStage, Dictionary<string, string> failures, CancellationToken cancellationToken)
    {
        var done = 0;
        foreach (var batch in Batches(toStage))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var records = Load(batch.Select(p => p.Id));
            var sources = await migration.ReadAsync(batch.Select(p => p.Move.Source), cancellationToken);
            var writes = new List<StoreChange>();
            var staged = new List<MoveRecord>();
            foreach (var planned in batch)
            {
                if (!sources.TryGetValue(planned.Move.Source, out var value))
                {
                    failures[planned.Id] = $"stage: source {planned.Move.Source} disappeared";
                    continue;
                }
                var record = records.GetValueOrDefault(planned.Id) ?? NewRecord(planned.Move);
                if (record.State == MoveState.RolledBack)
                    Reset(record);
                // On a resumed stage the target may already hold what we wrote (the plan says no-op): what the
                // target held *before* Keyshift was recorded with the intent and must not be re-derived.
                var resuming = record.PendingStep == "stage";
                record.PendingStep = "stage";
                record.IntentFingerprint = migration.Fingerprint(value);
                if (!resuming && record.WrittenFingerprint is null)
                {
                    record.TargetBefore = planned.Outcome switch
                    {
                        PlanOutcome.NoOp => TargetBefore.Equal,
                        PlanOutcome.Overwrite => TargetBefore.Escrowed,
                        _ => TargetBefore.Empty,
                    };
                    if (planned.Outcome == PlanOutcome.Overwrite)
                        record.PreviousTargetFingerprint = planned.TargetFingerprint;
                }
                RecordPolicy(record, planned.Move);
                record.UpdatedAt = Now;
                staged.Add(record);
                if (planned.Outcome != PlanOutcome.NoOp)
                    writes.Add(StoreChange.Set(planned.Move.Target, value));
            }
            await EscrowAsync(batch.Where(p => p.Outcome == PlanOutcome.Overwrite).Select(p => p.Move.Target).ToList(), cancellationToken);
            migration.Commit("stage", "intent", staged);

            await migration.ApplyAsync(writes, cancellationToken);

            foreach (var record in staged)
            {
                record.State = MoveState.Staged;
                record.SourceFingerprint = record.IntentFingerprint;
                record.WrittenFingerprint = record.IntentFingerprint;
                record.PendingStep = null;
                record.IntentFingerprint = null;
                record.FailedReason = null;
                record.FailedStep = null;
                record.StagedAt = Now;
                record.UpdatedAt = Now;
            }
            migration.Commit("stage", "ok", staged);
            done += batch.Count;
            Report("stage", done, toStage.Count);
        }
    }

    private MoveRecord NewRecord(Move move) =>
        new() { Id = move.Id, Origin = move.Config.From, Target = move.Target.ToString(), State = MoveState.Planned, UpdatedAt = Now };

    private static void Reset(MoveRecord record)
    {
        record.State = MoveState.Planned;
        record.SourceFingerprint = record.WrittenFingerprint = record.PreviousTargetFingerprint = null;
        record.TargetBefore = TargetBefore.Empty;
        record.StagedAt = record.VerifiedAt = record.CutoverAt = record.RetiredAt = null;
        // A credential rolled back was revoked: the next stage must ask for a new one, not reconcile the revoked one.
        if (record.NewDescriptor is not null || record.PendingDescriptor is not null)
            record.Attempt++;
        record.NewDescriptor = record.PendingDescriptor = null;
    }

    private static void RecordPolicy(MoveRecord record, Move move)
    {
        record.Target = move.Target.ToString();
        record.Owner = move.Config.Owner;
        record.Rotation = move.Config.Rotation is { } r ? Configuration.DurationText.Format(r) : null;
        record.Tags = move.Config.Tags.Count == 0 ? null : JsonSerializer.Serialize(move.Config.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary());
    }
}
