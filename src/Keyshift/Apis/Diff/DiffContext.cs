using Keyshift.Apis.Contracts;
using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Diff;

/// <summary>The two contracts being compared and the changes found so far, merged by check and location.</summary>
internal sealed class DiffContext
{
    private readonly Dictionary<string, ApiChange> _changes = new(StringComparer.Ordinal);

    public DiffContext(ApiContract old, ApiContract @new, DateOnly today)
    {
        Old = old;
        New = @new;
        Today = today;
    }

    public ApiContract Old { get; }

    public ApiContract New { get; }

    public DateOnly Today { get; }

    public IEnumerable<ApiChange> Changes => _changes.Values;

    public ApiLocation? LocateOld(ApiNode? node) => node is null ? null : new ApiLocation(Old.Document.File, node.Pointer, node.Line);

    public ApiLocation? LocateNew(ApiNode? node) => node is null ? null : new ApiLocation(New.Document.File, node.Pointer, node.Line);

    /// <summary>Records a change; the same change found again (e.g. through another operation) gains that operation.</summary>
    public ApiChange Report(ApiCheck check, string message, ApiNode? oldNode, ApiNode? newNode, params IEnumerable<string> operations)
    {
        var change = Create(check, message, oldNode, newNode);
        change = Add(change);
        foreach (var key in operations)
            change.AddOperation(key);
        return change;
    }

    public ApiChange Create(ApiCheck check, string message, ApiNode? oldNode, ApiNode? newNode) =>
        new(check, message, LocateOld(oldNode), LocateNew(newNode));

    public ApiChange Add(ApiChange change)
    {
        if (_changes.TryGetValue(change.MergeKey, out var existing))
            return existing;
        _changes[change.MergeKey] = change;
        return change;
    }

    private readonly List<(SchemaComparison Comparison, IReadOnlyList<string> Keys)> _pending = [];

    /// <summary>Schema changes are attributed to operations once every comparison is complete (recursive schemas close their cycles last).</summary>
    public void Attribute(SchemaComparison comparison, IReadOnlyList<string> keys) => _pending.Add((comparison, keys));

    public void FinishAttribution()
    {
        // Each shared (named) schema comparison is walked once, not once per operation that reaches it.
        var reachable = new Dictionary<SchemaComparison, List<ApiChange>>(ReferenceEqualityComparer.Instance);
        foreach (var (comparison, keys) in _pending)
        {
            var changes = new HashSet<ApiChange>(comparison.Own);
            foreach (var child in comparison.Children)
            {
                if (!reachable.TryGetValue(child, out var list))
                    reachable[child] = list = child.Reachable().ToList();
                changes.UnionWith(list);
            }
            foreach (var change in changes)
            {
                foreach (var key in keys)
                    change.AddOperation(key);
            }
        }
        _pending.Clear();
    }

    public static string[] Keys(ApiOperation? old, ApiOperation? @new) =>
        old is null ? [@new!.Key] : @new is null || @new.Key == old.Key ? [old.Key] : [old.Key, @new.Key];
}
