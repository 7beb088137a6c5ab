using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Contracts;

/// <summary>
/// The effective security of an operation: alternatives (any one suffices), each naming schemes (all required) with
/// scopes. Inherited from the top-level <c>security</c> unless the operation declares its own.
/// </summary>
internal sealed record SecurityRequirement(IReadOnlyList<IReadOnlyDictionary<string, IReadOnlyList<string>>> Alternatives, ApiNode? Node)
{
    public static readonly SecurityRequirement None = new([], null);

    /// <summary>True when a client may call without credentials (no requirement, or an empty alternative).</summary>
    public bool AllowsAnonymous => Alternatives.Count == 0 || Alternatives.Any(a => a.Count == 0);
}
