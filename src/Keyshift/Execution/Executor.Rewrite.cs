using Keyshift.Planning;
using Keyshift.Secrets;
using Keyshift.State;
using Keyshift.Stores;
using Keyshift.Stores.Hardcoded;

namespace Keyshift.Execution;

public sealed partial class Executor
{
    /// <summary>
    /// Cutover of moves whose values are hardcoded in files: each span becomes its reference <c>${NAME}</c>, so
    /// consumers read the new path from then on. A span follows a move when it is the move's source, or when
    /// it declares the same fingerprint and is no move's source (the same value written in a second place).
    /// The rewrite is idempotent (a rewritten span is left as it is), so a crash before the state is saved
    /// only repeats it; retire then finds the source gone and has nothing left to delete.
    /// </summary>
    private async Task RewriteHardcodedAsync(IReadOnlyDictionary<string, Move> moves, IReadOnlyCollection<MoveRecord> records, CancellationToken cancellationToken)
    {
        var spans = HardcodedSpans(moves, records);
        if (spans.Count == 0)
            return;
        var rewriting = records.Where(r => spans.ContainsKey(r.Id)).ToList();
        migration.Commit("rewrite", "intent", rewriting, r => Migration.Evidence(r).WithText("references", string.Join(", ", spans[r.Id])));
        await migration.ApplyAsync(spans.Values.SelectMany(a => a).Select(StoreChange.Delete), cancellationToken);
    }

    /// <summary>
    /// Rollback after cutover: the target's value (which the caller read before cleaning the target) goes
    /// back into each hardcoded span, so consumers read the old path again. Only a target that still holds
    /// what Keyshift wrote is used; the store itself accepts nothing but the declared value.
    /// </summary>
    private async Task RestoreHardcodedAsync(IReadOnlyDictionary<string, Move> moves, IReadOnlyCollection<MoveRecord> records, IReadOnlyDictionary<SecretAddress, SecretValue> targets, Dictionary<string, string> notes, CancellationToken cancellationToken)
    {
        // Every move, not only those recorded in dual-run: a cutover that rewrote the file and crashed before saving its
        // state left the move verified. Putting back a value a span still holds changes nothing.
        var spans = HardcodedSpans(moves, records);
        var changes = new List<StoreChange>();
        foreach (var record in records.Where(r => spans.ContainsKey(r.Id)))
        {
            if (targets.TryGetValue(moves[record.Id].Target, out var value) && migration.Fingerprint(value) == record.WrittenFingerprint)
                changes.AddRange(spans[record.Id].Select(a => StoreChange.Set(a, value)));
            else if (record.CutoverAt is not null)
                notes[record.Id] = $"target {moves[record.Id].Target} no longer holds the value Keyshift wrote, so {string.Join(", ", spans[record.Id])} keep their references; put the old value back by hand";
        }
        // Before the target is cleaned, and apart from it: if a file refuses, the value still exists in the target.
        await migration.ApplyAsync(changes, cancellationToken);
    }

    private Dictionary<string, List<SecretAddress>> HardcodedSpans(IReadOnlyDictionary<string, Move> moves, IReadOnlyCollection<MoveRecord> records)
    {
        var stores = migration.Config.Stores.Values.OfType<HardcodedStore>().ToList();
        var result = new Dictionary<string, List<SecretAddress>>(StringComparer.Ordinal);
        if (stores.Count == 0)
            return result;
        var sources = moves.Values.Select(m => m.Source).ToHashSet();
        var copies = stores.SelectMany(s => s.Declared.Select(d => (Address: new SecretAddress(s.Name, d.Name), d.Fingerprint)))
            .Where(c => !sources.Contains(c.Address))
            .ToLookup(c => c.Fingerprint, c => c.Address, StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (!moves.TryGetValue(record.Id, out var move) || move.IsCredential)
                continue;
            var list = new List<SecretAddress>();
            if (migration.Config.Stores.GetValueOrDefault(move.Source.Store) is HardcodedStore)
                list.Add(move.Source);
            if (record.SourceFingerprint is { } fingerprint)
                list.AddRange(copies[fingerprint]);
            if (list.Count > 0)
                result[record.Id] = list;
        }
        return result;
    }
}
