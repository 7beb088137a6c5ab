namespace Keyshift.Apis.Diff;

/// <summary>What to compare and how to judge it.</summary>
internal sealed record ApiDiffOptions
{
    public required string OldPath { get; init; }

    public required string NewPath { get; init; }

    public DiffRules Rules { get; init; } = DiffRules.None;

    /// <summary>Operations a consumer uses (<c>GET /charges</c>, <c>webhook orderPaid</c>); null = every change.</summary>
    public IReadOnlyList<string>? Uses { get; init; }

    public required DateOnly Today { get; init; }
}
