using Keyshift.Planning;
using Keyshift.State;
using Keyshift.Stores;

namespace Keyshift.Execution;

public sealed partial class Executor
{
    /// <summary>
    /// Retires every move in dual-run whose gates all hold: the source entry is deleted (storage
    /// replacement keeps the value, so there is no negative probe; credential moves revoke the old credential, see Executor.Revoke.cs). Returns the gates that held the others back.
    /// </summary>
    public async Task<Dictionary<string, IReadOnlyList<Gate>>> RetireAsync(Plan plan, HashSet<string> ids, Dictionary<string, string> failures, CancellationToken cancellationToken)
    {
        var moves = plan.Moves.ToDictionary(m => m.Id, m => m.Move, StringComparer.Ordinal);
        var held = new Dictionary<string, IReadOnlyList<Gate>>(StringComparer.Ordinal);
        var approvals = migration.Db.Approvals.GroupBy(a => a.MoveId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionary(x => x.Key, x => x.Count, StringComparer.Ordinal);
        await RetireCredentialsAsync(moves, ids, held, failures, approvals, cancellationToken);
        await RetireIntegrationsAsync(moves, ids, held, failures, approvals, cancellationToken);
        var candidates = Select(ids, r => (r.State == MoveState.DualRun || r.PendingStep == "retire") && moves.TryGetValue(r.Id, out var m) && !m.IsCredential && !m.IsIntegration);
        var done = 0;
        foreach (var batch in Batches(candidates))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var records = Load(batch);
            var targets = await migration.ReadAsync(batch.Select(id => moves[id].Target), cancellationToken);
            var retiring = new List<MoveRecord>();
            var evidence = new Dictionary<string, IReadOnlyList<Gate>>(StringComparer.Ordinal);
            foreach (var record in records.Values)
            {
                if (record.PendingStep == "retire")
                {
                    retiring.Add(record);
                    continue;
                }
                var holds = targets.TryGetValue(moves[record.Id].Target, out var t) && migration.Fingerprint(t) == record.WrittenFingerprint;
                var gates = Gates.ForRetire(record, migration.Config.Cutover, Now, approvals.GetValueOrDefault(record.Id), holds);
                if (gates.All(g => g.Holds))
                {
                    evidence[record.Id] = gates;
                    record.PendingStep = "retire";
                    record.UpdatedAt = Now;
                    retiring.Add(record);
                }
                else
                {
                    held[record.Id] = gates.Where(g => !g.Holds).ToList();
                }
            }
            if (retiring.Count > 0)
            {
                migration.Commit("retire", "intent", retiring, r => Migration.Evidence(r, evidence.GetValueOrDefault(r.Id) ?? []));
                await migration.ApplyAsync(retiring.Select(r => StoreChange.Delete(moves[r.Id].Source)), cancellationToken);
                foreach (var record in retiring)
                {
                    record.State = MoveState.Retired;
                    record.PendingStep = null;
                    record.RetiredAt = Now;
                    record.UpdatedAt = Now;
                }
                migration.Commit("retire", "ok", retiring);
                await ForgetEscrowAsync(retiring.Where(r => r.TargetBefore == TargetBefore.Escrowed).Select(r => moves[r.Id].Target).ToList(), cancellationToken);
            }
            done += batch.Count;
            Report("retire", done, candidates.Count);
        }
        return held;
    }
}
