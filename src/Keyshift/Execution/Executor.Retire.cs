using Keyshift.Planning;
using Keyshift.State;
using Keyshift.Stores;
using Microsoft.EntityFrameworkCore;

namespace Keyshift.Execution;

public sealed partial class Executor
{
    /// <summary>
    /// Retires every move in dual-run whose gates all hold: the source entry is deleted (storage
    /// replacement keeps the value, so there is no negative probe). Returns the gates that held the others back.
    /// </summary>
    public async Task<Dictionary<string, IReadOnlyList<Gate>>> RetireAsync(Plan plan, HashSet<string> ids, Dictionary<string, string> failures, CancellationToken cancellationToken)
    {
        var moves = plan.Moves.ToDictionary(m => m.Id, m => m.Move, StringComparer.Ordinal);
        var held = new Dictionary<string, IReadOnlyList<Gate>>(StringComparer.Ordinal);
        var candidates = Db.Moves.AsNoTracking()
            .Where(m => m.State == MoveState.DualRun || m.PendingStep == "retire")
            .Select(m => m.Id).AsEnumerable().Where(id => ids.Contains(id) && moves.ContainsKey(id)).ToList();
        var done = 0;
        foreach (var batch in Batches(candidates))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var records = Track(batch);
            var targets = await migration.ReadAsync(batch.Select(id => moves[id].Target), cancellationToken);
            var approvals = Db.Approvals.Where(a => batch.Contains(a.MoveId)).GroupBy(a => a.MoveId)
                .Select(g => new { g.Key, Count = g.Count() }).ToDictionary(x => x.Key, x => x.Count, StringComparer.Ordinal);
            var retiring = new List<MoveRecord>();
            var evidence = new Dictionary<string, IReadOnlyList<Gate>>(StringComparer.Ordinal);
            foreach (var record in records.Values)
            {
                var move = moves[record.Id];
                if (record.PendingStep == "retire")
                {
                    retiring.Add(record);
                    continue;
                }
                var holds = targets.TryGetValue(move.Target, out var t) && migration.Fingerprint(t) == record.WrittenFingerprint;
                var gates = Gates.ForRetire(record, migration.Config.Cutover, Now, approvals.GetValueOrDefault(record.Id), holds);
                evidence[record.Id] = gates;
                if (gates.All(g => g.Holds))
                {
                    record.PendingStep = "retire";
                    record.UpdatedAt = Now;
                    retiring.Add(record);
                }
                else
                {
                    held[record.Id] = gates.Where(g => !g.Holds).ToList();
                }
            }
            migration.Audit("retire", "intent", retiring, r => evidence.TryGetValue(r.Id, out var g) ? g : []);
            await SaveAsync(cancellationToken);

            await migration.ApplyAsync(retiring.Select(r => StoreChange.Delete(moves[r.Id].Source)), cancellationToken);

            records = Track(retiring.Select(r => r.Id));
            foreach (var record in records.Values)
            {
                record.State = MoveState.Retired;
                record.PendingStep = null;
                record.RetiredAt = Now;
                record.UpdatedAt = Now;
            }
            migration.Audit("retire", "done", records.Values);
            await SaveAsync(cancellationToken);
            done += batch.Count;
            Report("retire", done, candidates.Count);
        }
        return held;
    }
}
