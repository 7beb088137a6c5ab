using System.Text.RegularExpressions;
using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.State;
using Keyshift.Stores;

namespace Keyshift.Planning;

/// <summary>
/// Turns the config's move entries into moves: exact addresses as written, patterns against the source
/// store's listing (and against moves already recorded, whose source may be gone after retirement).
/// </summary>
public static class MoveExpander
{
    public static async Task<IReadOnlyList<Move>> ExpandAsync(
        KeyshiftConfig config, IReadOnlyDictionary<string, MoveRecord> records, CancellationToken cancellationToken)
    {
        var errors = new ErrorList();
        var listings = new Dictionary<string, IReadOnlyList<SecretAddress>>(StringComparer.Ordinal);
        var flatKeys = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var moves = new List<Move>();
        var origins = records.Values.ToLookup(r => r.Origin, StringComparer.Ordinal);
        foreach (var entry in config.Moves)
        {
            if (!entry.IsPattern)
            {
                var (source, target) = (SecretAddress.Parse(entry.From), SecretAddress.Parse(entry.To));
                if (entry.Integration is not null)
                {
                    moves.Add(new Move(source, target, entry) { Revoker = entry.Issuer is { } revoker ? config.Issuers.GetValueOrDefault(revoker) : null });
                    continue;
                }
                if (entry.Issuer is { } name && config.Issuers.TryGetValue(name, out var issuer))
                {
                    var sourceStore = config.Stores[source.Store];
                    var flat = !sourceStore.Capabilities.HasFlag(StoreCapabilities.Nested)
                        && await IsFieldGroupAsync(sourceStore, source, issuer, flatKeys, cancellationToken);
                    moves.Add(Move.ForCredential(source, target, entry, issuer, sourceStore, config.Stores[target.Store], flat));
                }
                else
                {
                    moves.Add(new Move(source, target, entry));
                }
                continue;
            }
            var from = SecretAddress.Parse(entry.From);
            var store = config.Stores[from.Store];
            if (!listings.TryGetValue(store.Name, out var listing))
                listings[store.Name] = listing = await store.ListAsync(cancellationToken);
            var pattern = PatternRegex(from.Local);
            var matched = new SortedDictionary<string, SecretAddress>(StringComparer.Ordinal);
            foreach (var address in listing)
            {
                if (pattern.IsMatch(address.Local))
                    matched[address.ToString()] = address;
            }
            foreach (var record in origins[entry.From])
                matched.TryAdd(record.Id, SecretAddress.Parse(record.Id));
            if (matched.Count == 0)
            {
                errors.Add(entry.Location, "from", $"pattern '{entry.From}' matches nothing in store '{store.Name}'");
                continue;
            }
            foreach (var source in matched.Values)
            {
                var target = SecretAddress.Parse(Substitute(entry.To, from.Local, source.Local, pattern));
                var shape = config.Stores[target.Store].CheckAddress(target);
                if (shape is not null)
                    errors.Add(entry.Location, "to", $"{source} → {target}: {shape}");
                else
                    moves.Add(new Move(source, target, entry));
            }
        }
        CheckUnique(moves, errors);
        errors.ThrowIfAny();
        return moves;
    }

    /// <summary>
    /// A flat source names a group of credential fields (<c>APP_DB</c> for <c>APP_DB_USERNAME</c>, <c>APP_DB_PASSWORD</c>, as a
    /// target of an earlier rotation in a flat store is written) when the key itself is absent and its secret field is
    /// there. With neither present (after retirement) nothing is read, so the answer does not matter.
    /// </summary>
    private static async Task<bool> IsFieldGroupAsync(Store store, SecretAddress source, Issuers.Issuer issuer,
        Dictionary<string, HashSet<string>> keysByStore, CancellationToken cancellationToken)
    {
        if (!keysByStore.TryGetValue(store.Name, out var keys))
            keysByStore[store.Name] = keys = (await store.ListAsync(cancellationToken)).Select(a => a.ToString()).ToHashSet(StringComparer.Ordinal);
        if (keys.Contains(source.ToString()))
            return false;
        return keys.Contains(Move.FlatField(source, Move.PrimaryField(issuer)).ToString());
    }

    private static void CheckUnique(List<Move> moves, ErrorList errors)
    {
        var sources = new Dictionary<string, Move>(StringComparer.Ordinal);
        var targets = new Dictionary<string, Move>(StringComparer.Ordinal);
        foreach (var move in moves)
        {
            if (!sources.TryAdd(move.Id, move))
                errors.Add(move.Config.Location, "from", $"'{move.Id}' is also moved by the entry at line {sources[move.Id].Config.Location.Line}");
            var target = move.Target.ToString();
            if (!targets.TryAdd(target, move))
                errors.Add(move.Config.Location, "to", $"'{target}' is also the target of '{targets[target].Id}' (line {targets[target].Config.Location.Line})");
        }
    }

    /// <summary>'*' matches any run of characters but '/'; it sits in the last path segment or the key.</summary>
    private static Regex PatternRegex(string local)
    {
        var star = local.IndexOf('*', StringComparison.Ordinal);
        return new Regex("^" + Regex.Escape(local[..star]) + "([^/#]*)" + Regex.Escape(local[(star + 1)..]) + "$", RegexOptions.CultureInvariant);
    }

    /// <summary>{name} is the whole segment (key or last path segment) the '*' stood in; {match} what it matched.</summary>
    private static string Substitute(string to, string patternLocal, string sourceLocal, Regex pattern)
    {
        var match = pattern.Match(sourceLocal).Groups[1].Value;
        var star = patternLocal.IndexOf('*', StringComparison.Ordinal);
        var hash = patternLocal.IndexOf('#', StringComparison.Ordinal);
        string name;
        if (hash >= 0 && star > hash)
        {
            name = sourceLocal[(sourceLocal.IndexOf('#', StringComparison.Ordinal) + 1)..];
        }
        else
        {
            var path = hash >= 0 ? sourceLocal[..sourceLocal.IndexOf('#', StringComparison.Ordinal)] : sourceLocal;
            name = path[(path.LastIndexOf('/') + 1)..];
        }
        return to.Replace("{name}", name, StringComparison.Ordinal).Replace("{match}", match, StringComparison.Ordinal);
    }
}
