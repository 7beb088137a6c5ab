using System.Security.Cryptography;
using System.Text;

namespace Keyshift.Secrets;

/// <summary>
/// A secret's bytes. It never prints itself: <see cref="ToString"/> is <c>***</c>, so a value cannot
/// leak through interpolation, logging or an exception message. Compare values by <see cref="Fingerprint"/>.
/// </summary>
public sealed class SecretValue : IEquatable<SecretValue>
{
    private readonly byte[] _bytes;

    private SecretValue(byte[] bytes) => _bytes = bytes;

    /// <summary>Takes a copy of the given bytes.</summary>
    public static SecretValue FromBytes(ReadOnlySpan<byte> bytes) => new(bytes.ToArray());

    /// <summary>The UTF-8 encoding of <paramref name="text"/>.</summary>
    public static SecretValue FromUtf8(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>The raw bytes, for the code that must write them to a store or an issuer.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    public int Length => _bytes.Length;

    /// <summary>True when the bytes are well-formed UTF-8 (text stores can hold them).</summary>
    public bool IsUtf8 => System.Text.Unicode.Utf8.IsValid(_bytes);

    /// <summary>The value as text, for the store or issuer that writes it; throws when it is not UTF-8.</summary>
    public string RevealUtf8()
    {
        if (!IsUtf8)
            throw new InvalidOperationException("the secret value is not UTF-8 text");
        return Encoding.UTF8.GetString(_bytes);
    }

    /// <summary>Constant-time comparison of two values.</summary>
    public bool Equals(SecretValue? other) =>
        other is not null && CryptographicOperations.FixedTimeEquals(_bytes, other._bytes);

    public override bool Equals(object? obj) => Equals(obj as SecretValue);

    // A hash of the value would be a weak fingerprint; equal values share the length, which is enough for buckets.
    public override int GetHashCode() => _bytes.Length;

    public override string ToString() => "***";
}
