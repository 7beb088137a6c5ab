using Keyshift.Scanning;

namespace Keyshift.Inventory;

/// <summary>What <c>keyshift inventory</c> found: the stored secrets, the scan results, the dependencies and the risks.</summary>
internal sealed record InventoryReport
{
    public required IReadOnlyList<InventorySecret> Secrets { get; init; }

    /// <summary>Store names with their types, in name order.</summary>
    public required IReadOnlyList<(string Name, string Type)> Stores { get; init; }

    /// <summary>Hardcoded secrets the scan found outside the store files.</summary>
    public IReadOnlyList<Finding> Hardcoded { get; init; } = [];

    public IReadOnlyList<Finding> References { get; init; } = [];

    public IReadOnlyList<DependencyEdge> Dependencies { get; init; } = [];

    /// <summary>Declared consumers (name → owner, environment).</summary>
    public IReadOnlyList<(string Name, string? Owner, string? Environment)> Consumers { get; init; } = [];

    public required IReadOnlyList<InventoryFinding> Findings { get; init; }

    public IReadOnlyList<InputNote> Notes { get; init; } = [];

    public DateTimeOffset Now { get; init; }
}
