namespace Keyshift.Stores.Bundle;

/// <summary>How a bundle's data key is protected; one byte in the header.</summary>
internal enum BundleKeyMode : byte
{
    /// <summary>PBKDF2-HMAC-SHA256 of a passphrase; the header holds the iteration count and salt.</summary>
    Passphrase = 1,

    /// <summary>A random data key wrapped with RSA-OAEP-SHA256 for a recipient's public key.</summary>
    Rsa = 2,

    /// <summary>A random data key wrapped with AES-GCM under ECDH(ephemeral, recipient) + HKDF-SHA256.</summary>
    Ecdh = 3,

    /// <summary>A 32-byte key given by the program (the engine's escrow, keyed from the workspace).</summary>
    Raw = 4,
}
