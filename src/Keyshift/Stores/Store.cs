using Keyshift.Secrets;

namespace Keyshift.Stores;

/// <summary>
/// Where secrets live. The extension point is small: list, read a batch, apply a batch of changes.
/// A file store applies a batch as one atomic rewrite (temporary file and rename, file mode kept), so a
/// crash leaves either the old file or the new one.
/// </summary>
public abstract class Store(string name)
{
    /// <summary>The store's name in <c>keyshift.yaml</c> (the part of an address before the colon).</summary>
    public string Name { get; } = name;

    /// <summary>The configured type (<c>dotenv</c>, <c>json</c>, …).</summary>
    public abstract string Type { get; }

    public abstract StoreCapabilities Capabilities { get; }

    /// <summary>Every leaf address the store holds now.</summary>
    public abstract ValueTask<IReadOnlyList<SecretAddress>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The values at the given addresses; an address with no value is absent from the result.</summary>
    public abstract ValueTask<IReadOnlyDictionary<SecretAddress, SecretValue>> ReadAsync(
        IReadOnlyCollection<SecretAddress> addresses, CancellationToken cancellationToken);

    /// <summary>
    /// Applies the changes as one unit where the store allows it. Deleting an absent address is not an
    /// error. Validates every change before writing anything: on <see cref="StoreException"/> nothing changed.
    /// </summary>
    public abstract ValueTask ApplyAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken);

    /// <summary>Null when the address has the right shape for this store, otherwise why not.</summary>
    public virtual string? CheckAddress(SecretAddress address)
    {
        var nested = Capabilities.HasFlag(StoreCapabilities.Nested);
        if (!nested && address.Key is not null)
            return $"store '{Name}' ({Type}) is flat: write {Name}:KEY without '#'";
        if (nested && address.Key is null)
            return $"store '{Name}' ({Type}) is nested: write {Name}:path#key";
        return null;
    }

    /// <summary>Throws the <see cref="CheckAddress"/> problem, if any, as a <see cref="StoreException"/>.</summary>
    protected void ThrowIfBadAddress(SecretAddress address)
    {
        if (CheckAddress(address) is { } problem)
            throw new StoreException(problem);
    }

    public override string ToString() => $"{Name} ({Type})";
}
