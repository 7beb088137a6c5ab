using Keyshift.Secrets;

namespace Keyshift.Stores.Json;

/// <summary>
/// The changes a batch makes to one object, existing or new: built from every change first, then turned
/// into splices in one pass, so a batch of any size costs one parse and one rewrite.
/// </summary>
internal sealed class JsonEditObject(JsonObjectNode? existing)
{
    /// <summary>The object in the file, or null for one the batch creates.</summary>
    public JsonObjectNode? Existing { get; } = existing;

    public Dictionary<string, JsonEdit> Edits { get; } = new(StringComparer.Ordinal);

    /// <summary>Names the object does not have yet, in the order the batch first wrote them.</summary>
    public List<string> NewNames { get; } = [];

    /// <summary>Set by <see cref="Analyze"/>: which existing members go.</summary>
    public bool[] Deleted { get; private set; } = [];

    /// <summary>Set by <see cref="Analyze"/>: the new members that will really be written.</summary>
    public List<KeyValuePair<string, JsonEdit>> Inserts { get; } = [];

    /// <summary>Set by <see cref="Analyze"/>: the batch deletes every member and adds none, so the object goes too.</summary>
    public bool BecomesEmpty { get; private set; }

    /// <summary>Records a write of <paramref name="value"/> at <c>segments#key</c>; null when fine, otherwise why not.</summary>
    public string? Set(IReadOnlyList<string> segments, string key, SecretValue value)
    {
        var current = this;
        for (var i = 0; i < segments.Count; i++)
        {
            var name = segments[i];
            var member = current.Existing?.Find(name);
            if (current.Edits.TryGetValue(name, out var edit))
            {
                if (edit.Child is { } child)
                {
                    current = child;
                    continue;
                }
                if (edit.Value is not null || member is not null)
                    return $"the batch writes '{string.Join('/', segments.Take(i + 1))}' both as a value and as a map";
            }
            else if (member is { IsLeaf: true })
                return $"'{string.Join('/', segments.Take(i + 1))}' holds a value, not a map";
            else if (member is null)
                current.NewNames.Add(name);

            var next = new JsonEditObject(member?.Child);
            current.Edits[name] = new JsonEdit(null, next);
            current = next;
        }

        var leaf = current.Existing?.Find(key);
        if (leaf is { IsLeaf: false })
            return $"'{key}' is a map, not a value";
        if (current.Edits.TryGetValue(key, out var earlier))
        {
            if (earlier.Child is not null)
                return $"the batch writes '{key}' both as a value and as a map";
        }
        else if (leaf is null)
            current.NewNames.Add(key);
        current.Edits[key] = new JsonEdit(value, null);
        return null;
    }

    /// <summary>Records a delete of the leaf at <c>segments#key</c>; an absent leaf (or a map there) is left alone.</summary>
    public void Delete(IReadOnlyList<string> segments, string key)
    {
        var current = this;
        foreach (var name in segments)
        {
            if (current.Edits.TryGetValue(name, out var edit))
            {
                if (edit.Child is null)
                    return;
                current = edit.Child;
                continue;
            }
            if (current.Existing?.Find(name)?.Child is not { } child)
                return;
            var next = new JsonEditObject(child);
            current.Edits[name] = new JsonEdit(null, next);
            current = next;
        }
        if (current.Edits.TryGetValue(key, out var earlier))
        {
            if (earlier.Value is not null)
                current.Edits[key] = JsonEdit.Delete;
            return;
        }
        if (current.Existing?.Find(key) is { IsLeaf: true })
            current.Edits[key] = JsonEdit.Delete;
    }

    /// <summary>Works out, bottom-up, which members go and which new ones are written.</summary>
    public void Analyze()
    {
        var members = Existing?.Members ?? [];
        Deleted = new bool[members.Count];
        var deletedCount = 0;
        Inserts.Clear();
        foreach (var (name, edit) in Edits)
        {
            edit.Child?.Analyze();
            var index = Existing?.IndexOf(name) ?? -1;
            if (index >= 0 && (edit.IsDelete || edit.Child is { BecomesEmpty: true }))
            {
                Deleted[index] = true;
                deletedCount++;
            }
        }
        foreach (var name in NewNames)
        {
            var edit = Edits[name];
            if (edit.Value is not null || edit.Child is { Inserts.Count: > 0 })
                Inserts.Add(new(name, edit));
        }
        BecomesEmpty = Existing is not null && deletedCount > 0 && deletedCount == members.Count && Inserts.Count == 0;
    }
}
