using Keyshift.Secrets;

namespace Keyshift.Inventory;

/// <summary>One entry of a configured store: where it is, its keyed fingerprint, how old, whose, who uses it. Never its value.</summary>
internal sealed record InventorySecret
{
    public required SecretAddress Address { get; init; }

    public required string StoreType { get; init; }

    public required Fingerprint Fingerprint { get; init; }

    /// <summary>When the value was written, as far as known (see <see cref="AgeSource"/>).</summary>
    public DateTimeOffset? Since { get; init; }

    public AgeSource AgeSource { get; init; }

    public string? Owner { get; init; }

    /// <summary>The move this address is the source or target of.</summary>
    public string? MoveId { get; init; }

    public IReadOnlyList<string> Consumers { get; init; } = [];

    public IReadOnlyList<string> Environments { get; init; } = [];

    /// <summary>An empty value: listed, but never counted as reuse.</summary>
    public bool IsEmpty { get; init; }
}
