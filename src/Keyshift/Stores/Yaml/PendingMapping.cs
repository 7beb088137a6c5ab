namespace Keyshift.Stores.Yaml;

/// <summary>
/// Keys a batch adds where the text has no mapping yet (or has one that gains new keys), in the order the
/// batch wrote them. Each value is either a <see cref="string"/> leaf or a nested <see cref="PendingMapping"/>.
/// </summary>
internal sealed class PendingMapping
{
    private readonly OrderedDictionary<string, object> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public IEnumerable<KeyValuePair<string, object>> Entries => _entries;

    /// <summary>Sets <c>path[from..]</c> below this mapping; returns the name of a segment that is already a leaf, or null.</summary>
    public string? Set(IReadOnlyList<string> path, int from, string value)
    {
        var mapping = this;
        for (var i = from; i < path.Count - 1; i++)
        {
            if (!mapping._entries.TryGetValue(path[i], out var child))
            {
                child = new PendingMapping();
                mapping._entries.Add(path[i], child);
            }
            if (child is not PendingMapping next)
                return path[i];
            mapping = next;
        }
        var leaf = path[^1];
        if (mapping._entries.TryGetValue(leaf, out var existing) && existing is PendingMapping)
            return leaf;
        mapping._entries[leaf] = value;
        return null;
    }

    /// <summary>Removes the leaf at <c>path[from..]</c> and every mapping that leaves empty below this one.</summary>
    public void Remove(IReadOnlyList<string> path, int from)
    {
        if (!_entries.TryGetValue(path[from], out var child))
            return;
        if (from == path.Count - 1)
        {
            if (child is string)
                _entries.Remove(path[from]);
            return;
        }
        if (child is PendingMapping nested)
        {
            nested.Remove(path, from + 1);
            if (nested.Count == 0)
                _entries.Remove(path[from]);
        }
    }
}
