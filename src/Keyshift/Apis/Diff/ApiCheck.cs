namespace Keyshift.Apis.Diff;

/// <summary>
/// A check with a stable id (<c>KS-API-001</c>), a short name, its default severity and what it detects.
/// <see cref="Removal"/> checks point at the old document, where the removed thing still is.
/// </summary>
internal sealed record ApiCheck(string Id, string Name, Severity Severity, string Summary, bool Removal = false)
{
    public override string ToString() => $"{Id} {Name}";
}
