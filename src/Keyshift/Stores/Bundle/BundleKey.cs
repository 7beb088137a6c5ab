namespace Keyshift.Stores.Bundle;

/// <summary>
/// What protects a bundle's 32-byte AES-256-GCM data key: a passphrase, a recipient's key pair or a raw
/// key from the program. A key seals new files (header parameters plus data key) and opens existing ones.
/// </summary>
internal abstract class BundleKey
{
    public const int DataKeySize = 32;

    /// <summary>The mode new files get.</summary>
    public abstract BundleKeyMode Mode { get; }

    /// <summary>What the user would recognise this key as, for messages: "a passphrase", "identity keys/ops.pem".</summary>
    public abstract string Description { get; }

    /// <summary>Header parameters and data key for a new write; <paramref name="previous"/> is the header being replaced.</summary>
    public abstract SealedDataKey Seal(BundleHeader? previous);

    /// <summary>The data key of a file with this header, or null and why (wrong kind of key, not the recipient, malformed).</summary>
    public abstract byte[]? TryOpen(BundleHeader header, out string? problem);

    /// <summary>True when this key can write: a recipient-only key can, an identity alone can too (its public half).</summary>
    public virtual bool CanSeal => true;
}
