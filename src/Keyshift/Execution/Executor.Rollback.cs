using Keyshift.Planning;
using Keyshift.State;
using Keyshift.Stores;
using Microsoft.EntityFrameworkCore;

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
        var candidates = Db.Moves.AsNoTracking()
            .Where(m => m.State != MoveState.Retired && m.State != MoveState.RolledBack && m.State != MoveState.Compromised)
            .Select(m => m.Id).AsEnumerable().Where(id => ids.Contains(id) && moves.ContainsKey(id)).ToList();
        var done = 0;
        foreach (var batch in Batches(candidates))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var records = Track(batch);
            var targets = await migration.ReadAsync(batch.Select(id => moves[id].Target), cancellationToken);
            var restore = await ReadEscrowAsync(records.Values.Where(r => r.TargetBefore == TargetBefore.Escrowed).Select(r => moves[r.Id].Target).ToList(), cancellationToken);
            var changes = new List<StoreChange>();
            foreach (var record in records.Values)
            {
                var target = moves[record.Id].Target;
                var current = targets.TryGetValue(target, out var t) ? migration.Fingerprint(t) : null;
                var ours = current is not null && (current == record.WrittenFingerprint || current == record.IntentFingerprint);
                if (current is null || record.TargetBefore == TargetBefore.Equal)
                    continue;
                if (!ours)
                {
                    notes[record.Id] = $"target {target} was changed by someone else since Keyshift wrote it; left as it is";
                    continue;
                }
                if (record.TargetBefore == TargetBefore.Escrowed)
                {
                    if (restore.TryGetValue(target, out var previous))
                        changes.Add(StoreChange.Set(target, previous));
                    else
                        notes[record.Id] = $"the escrowed previous value of {target} is missing; left as it is";
                }
                else
                {
                    changes.Add(StoreChange.Delete(target));
                }
                record.PendingStep = "rollback";
            }
            migration.Audit("rollback", "intent", records.Values);
            await SaveAsync(cancellationToken);

            await migration.ApplyAsync(changes, cancellationToken);

            records = Track(batch);
            foreach (var record in records.Values)
            {
                record.State = MoveState.RolledBack;
                record.PendingStep = null;
                record.IntentFingerprint = null;
                record.UpdatedAt = Now;
            }
            migration.Audit("rollback", "done", records.Values);
            await SaveAsync(cancellationToken);
            done += batch.Count;
            Report("rollback", done, candidates.Count);
        }
        var outcomes = Outcomes(ids.Where(moves.ContainsKey).ToHashSet(StringComparer.Ordinal), [], notes);
        return outcomes;
    }
}
