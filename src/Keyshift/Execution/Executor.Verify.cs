using Keyshift.Planning;
using Keyshift.State;

namespace Keyshift.Execution;

public sealed partial class Executor
{
    /// <summary>Copy: the target's fingerprint equals the source's and what Keyshift wrote.</summary>
    public async Task VerifyAsync(Plan plan, HashSet<string> ids, Dictionary<string, string> failures, CancellationToken cancellationToken)
    {
        var moves = plan.Moves.ToDictionary(m => m.Id, m => m.Move, StringComparer.Ordinal);
        await VerifyCredentialsAsync(moves, ids, failures, cancellationToken);
        await VerifyIntegrationsAsync(moves, ids, failures, cancellationToken);
        var pending = Select(ids, r => r.State == MoveState.Staged && moves.TryGetValue(r.Id, out var m) && !m.IsCredential && !m.IsIntegration);
        var done = 0;
        foreach (var batch in Batches(pending))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var records = Load(batch);
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
            migration.Commit("verify", "ok", records.Values);
            done += batch.Count;
            Report("verify", done, pending.Count);
        }
    }

    /// <summary>Consumers switch to the new path; the dual-run window starts. Old and new both stay valid.</summary>
    private async Task CutoverAsync(Plan plan, HashSet<string> ids, CancellationToken cancellationToken)
    {
        var moves = plan.Moves.ToDictionary(m => m.Id, m => m.Move, StringComparer.Ordinal);
        var pending = Select(ids, r => r.State == MoveState.Verified);
        var done = 0;
        foreach (var batch in Batches(pending))
        {
            var records = Load(batch);
            await RewriteHardcodedAsync(moves, records.Values, cancellationToken);
            foreach (var record in records.Values)
            {
                record.State = MoveState.DualRun;
                record.CutoverAt = Now;
                record.UpdatedAt = Now;
            }
            migration.Commit("cutover", "ok", records.Values);
            done += batch.Count;
            Report("cutover", done, pending.Count);
        }
    }
}
