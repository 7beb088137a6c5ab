using Keyshift.Planning;
using Keyshift.State;

namespace Keyshift.Execution;

public sealed partial class Executor
{
    /// <summary>Copy: the target's fingerprint equals the source's and what Keyshift wrote.</summary>
    public async Task VerifyAsync(Plan plan, HashSet<string> ids, Dictionary<string, string> failures, CancellationToken cancellationToken)
    {
        var moves = plan.Moves.ToDictionary(m => m.Id, m => m.Move, StringComparer.Ordinal);
        var pending = Db.Moves.Where(m => m.State == MoveState.Staged).Select(m => m.Id).AsEnumerable().Where(ids.Contains).ToList();
        var done = 0;
        foreach (var batch in Batches(pending))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var records = Track(batch);
            var sources = await migration.ReadAsync(batch.Select(id => moves[id].Source), cancellationToken);
            var targets = await migration.ReadAsync(batch.Select(id => moves[id].Target), cancellationToken);
            foreach (var record in records.Values)
            {
                var move = moves[record.Id];
                var source = sources.TryGetValue(move.Source, out var s) ? migration.Fingerprint(s) : null;
                var target = targets.TryGetValue(move.Target, out var t) ? migration.Fingerprint(t) : null;
                string? problem = (source, target) switch
                {
                    (_, null) => $"verify: target {move.Target} is empty",
                    (null, _) => $"verify: source {move.Source} is gone",
                    _ when target != record.WrittenFingerprint => $"verify: target {move.Target} does not hold the value Keyshift wrote",
                    _ when source != target => $"verify: source {move.Source} changed since it was staged; re-run apply to stage the new value",
                    _ => null,
                };
                record.UpdatedAt = Now;
                if (problem is null)
                {
                    record.State = MoveState.Verified;
                    record.VerifiedAt = Now;
                }
                else
                {
                    record.State = MoveState.Failed;
                    record.FailedStep = "verify";
                    record.FailedReason = problem;
                    failures[record.Id] = problem;
                }
            }
            migration.Audit("verify", "done", records.Values);
            await SaveAsync(cancellationToken);
            done += batch.Count;
            Report("verify", done, pending.Count);
        }
    }

    /// <summary>Consumers switch to the new path; the dual-run window starts. Old and new both stay valid.</summary>
    private async Task CutoverAsync(HashSet<string> ids, CancellationToken cancellationToken)
    {
        var pending = Db.Moves.Where(m => m.State == MoveState.Verified).Select(m => m.Id).AsEnumerable().Where(ids.Contains).ToList();
        var done = 0;
        foreach (var batch in Batches(pending))
        {
            var records = Track(batch);
            foreach (var record in records.Values)
            {
                record.State = MoveState.DualRun;
                record.CutoverAt = Now;
                record.UpdatedAt = Now;
            }
            migration.Audit("cutover", "done", records.Values);
            await SaveAsync(cancellationToken);
            done += batch.Count;
            Report("cutover", done, pending.Count);
        }
    }
}
