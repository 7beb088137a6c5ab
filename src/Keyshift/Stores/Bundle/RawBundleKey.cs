using System.Security.Cryptography;
using System.Text;

namespace Keyshift.Stores.Bundle;

/// <summary>
/// A 32-byte key given by the program (the engine's escrow of overwritten values, keyed from the
/// workspace). Parameters: a 16-byte salt, fresh on every write; the data key is HKDF-SHA256(key, salt),
/// so the raw key is never used directly and nonces never repeat under one data key.
/// </summary>
internal sealed class RawBundleKey : BundleKey
{
    private const int SaltSize = 16;
    private static readonly byte[] Info = Encoding.ASCII.GetBytes("keyshift-bundle-v1 raw data key");
    private readonly byte[] _key;

    public RawBundleKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != DataKeySize)
            throw new ArgumentException($"a raw bundle key has exactly {DataKeySize} bytes", nameof(key));
        _key = key.ToArray();
    }

    public override BundleKeyMode Mode => BundleKeyMode.Raw;

    public override string Description => "the workspace key";

    public override SealedDataKey Seal(BundleHeader? previous)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        return new SealedDataKey(salt, Derive(salt));
    }

    public override byte[]? TryOpen(BundleHeader header, out string? problem)
    {
        problem = null;
        if (header.Mode != BundleKeyMode.Raw)
        {
            problem = $"it was sealed with {header.SealedWith}, not a raw key";
            return null;
        }
        if (header.KeyParameters.Length != SaltSize)
        {
            problem = "its key parameters are malformed";
            return null;
        }
        return Derive(header.KeyParameters);
    }

    private byte[] Derive(byte[] salt) => HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, DataKeySize, salt, Info);
}
