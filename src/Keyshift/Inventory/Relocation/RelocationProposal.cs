namespace Keyshift.Inventory.Relocation;

/// <summary>The outcome of <c>init --from-scan</c>: stores and moves for the config, manual items, and the reference replacements per file.</summary>
internal sealed record RelocationProposal
{
    public required IReadOnlyList<SourceStore> Sources { get; init; }

    /// <summary>Files that are not stores, holding values at exact spans: hardcoded source stores whose moves rewrite them at cutover.</summary>
    public IReadOnlyList<HardcodedSource> Hardcoded { get; init; } = [];

    public required string TargetStore { get; init; }

    public required IReadOnlyList<ProposedMove> Moves { get; init; }

    public required IReadOnlyList<ManualSecret> Manual { get; init; }

    /// <summary>Full path → display path, whether a store move rewrites it at cutover (then --apply leaves it), and the replacements in that file, in file order.</summary>
    public required IReadOnlyList<(string FullPath, string DisplayPath, bool IsSource, IReadOnlyList<Replacement> Replacements)> Files { get; init; }
}
