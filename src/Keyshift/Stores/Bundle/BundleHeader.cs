using System.Buffers.Binary;

namespace Keyshift.Stores.Bundle;

/// <summary>
/// The clear-text start of a bundle file: magic <c>KSB1</c>, version, key mode, key parameters, nonce.
/// Its exact bytes are the AES-GCM associated data, so changing any of them fails decryption.
/// </summary>
internal sealed record BundleHeader(BundleKeyMode Mode, byte[] KeyParameters, byte[] Nonce)
{
    public const byte CurrentVersion = 1;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    private const int FixedSize = 8;

    public static ReadOnlySpan<byte> Magic => "KSB1"u8;

    public int Length => FixedSize + KeyParameters.Length + NonceSize;

    /// <summary>What sealed the file, in words: "a passphrase", "an RSA recipient key", …</summary>
    public string SealedWith => Mode switch
    {
        BundleKeyMode.Passphrase => "a passphrase",
        BundleKeyMode.Rsa => "an RSA recipient key",
        BundleKeyMode.Ecdh => "an EC recipient key",
        _ => "a raw key",
    };

    public void WriteTo(Span<byte> destination)
    {
        Magic.CopyTo(destination);
        destination[4] = CurrentVersion;
        destination[5] = (byte)Mode;
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], checked((ushort)KeyParameters.Length));
        KeyParameters.CopyTo(destination[FixedSize..]);
        Nonce.CopyTo(destination[(FixedSize + KeyParameters.Length)..]);
    }

    /// <summary>Parses the header at the start of <paramref name="file"/>; returns null and why when it cannot.</summary>
    public static BundleHeader? TryParse(ReadOnlySpan<byte> file, out string? problem)
    {
        problem = null;
        if (file.Length < Magic.Length || !file[..Magic.Length].SequenceEqual(Magic))
        {
            problem = "it does not start with the KSB1 magic of a Keyshift bundle";
            return null;
        }
        if (file.Length < FixedSize)
        {
            problem = "its header is truncated";
            return null;
        }
        if (file[4] != CurrentVersion)
        {
            problem = $"its format version is {file[4]}, and this Keyshift reads version {CurrentVersion}";
            return null;
        }
        var mode = (BundleKeyMode)file[5];
        if (!Enum.IsDefined(mode))
        {
            problem = $"its key mode {file[5]} is unknown";
            return null;
        }
        var parametersLength = BinaryPrimitives.ReadUInt16BigEndian(file[6..]);
        if (file.Length < FixedSize + parametersLength + NonceSize + TagSize)
        {
            problem = "it is shorter than its header says";
            return null;
        }
        var parameters = file.Slice(FixedSize, parametersLength).ToArray();
        var nonce = file.Slice(FixedSize + parametersLength, NonceSize).ToArray();
        return new BundleHeader(mode, parameters, nonce);
    }
}
