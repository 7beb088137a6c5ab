using Keyshift.Planning;
using Keyshift.State;
using Keyshift.Stores;

namespace Keyshift.Execution;

public sealed partial class Executor
{
    /// <summary>
    /// Undoes moves that are not retired: removes exactly what Keyshift wrote to the target, or restores the
    /// escrowed previous value, and leaves a target that someone else changed since alone (and says so).
    /// </summary>
    public async Task<IReadOnlyList<MoveOutcome>> RollbackAsync(Plan plan, HashSet<string> ids, CancellationToken cancellationToken)
    {
        var moves = plan.Moves.ToDictionary(m => m.Id, m => m.Move, StringComparer.Ordinal);
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        await RollbackCredentialsAsync(moves, ids, notes, cancellationToken);
        await RollbackIntegrationsAsync(moves, ids, cancellationToken);
        var candidates = Select(ids, r => r.State is not (MoveState.Retired or MoveState.RolledBack or MoveState.Compromised) && moves.TryGetValue(r.Id, out var m) && !m.IsCredential && !m.IsIntegration);
        var done = 0;
        foreach (var batch in Batches(candidates))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var records = Load(batch);
            var targets = await migration.ReadAsync(batch.Select(id => moves[id].Target), cancellationToken);
            var restore = await ReadEscrowAsync(records.Values.Where(r => r.TargetBefore == TargetBefore.Escrowed).Select(r => moves[r.Id].Target).ToList(), cancellationToken);
            var changes = new List<StoreChange>();
            foreach (var record in records.Values)
            {
                var target = moves[record.Id].Target;
                var current = targets.TryGetValue(target, out var t) ? migration.Fingerprint(t) : null;
                var ours = current is not null && (current == record.WrittenFingerprint || current == record.IntentFingerprint);
                record.PendingStep = "rollback";
                record.UpdatedAt = Now;
                if (current is null || record.TargetBefore == TargetBefore.Equal)
                    continue;
                if (!ours)
                    notes[record.Id] = $"target {target} was changed by someone else since Keyshift wrote it; left as it is";
                else if (record.TargetBefore != TargetBefore.Escrowed)
                    changes.Add(StoreChange.Delete(target));
                else if (restore.TryGetValue(target, out var previous))
                    changes.Add(StoreChange.Set(target, previous));
                else
                    notes[record.Id] = $"the escrowed previous value of {target} is missing; left as it is";
            }
            migration.Commit("rollback", "intent", records.Values);
            await RestoreHardcodedAsync(moves, records.Values, targets, notes, cancellationToken);
            await migration.ApplyAsync(changes, cancellationToken);
            foreach (var record in records.Values)
            {
                record.State = MoveState.RolledBack;
                record.PendingStep = null;
                record.IntentFingerprint = null;
                record.UpdatedAt = Now;
            }
            migration.Commit("rollback", "ok", records.Values);
            await ForgetEscrowAsync(records.Values.Where(r => r.TargetBefore == TargetBefore.Escrowed).Select(r => moves[r.Id].Target).ToList(), cancellationToken);
            done += batch.Count;
            Report("rollback", done, candidates.Count);
        }
        return Outcomes(ids.Where(moves.ContainsKey).ToHashSet(StringComparer.Ordinal), [], notes);
    }
}
