namespace Keyshift.Apis.Diff;

/// <summary>
/// The changes found comparing one pair of schemas, and the named schemas it reaches. Named schema pairs are compared
/// once and shared, so a recursive schema ends in a cycle of these instead of an endless recursion.
/// </summary>
internal sealed class SchemaComparison
{
    public List<ApiChange> Own { get; } = [];

    public List<SchemaComparison> Children { get; } = [];

    /// <summary>Every change reachable from here, each once, walking the graph without recursion.</summary>
    public IEnumerable<ApiChange> Reachable()
    {
        var seen = new HashSet<SchemaComparison>(ReferenceEqualityComparer.Instance) { this };
        var pending = new Stack<SchemaComparison>();
        pending.Push(this);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            foreach (var change in current.Own)
                yield return change;
            foreach (var child in current.Children)
            {
                if (seen.Add(child))
                    pending.Push(child);
            }
        }
    }
}
