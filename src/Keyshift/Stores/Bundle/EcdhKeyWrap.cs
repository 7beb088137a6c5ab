using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Keyshift.Stores.Bundle;

/// <summary>
/// ECDH ephemeral-static on the recipient's curve (P-256, P-384, P-521), HKDF-SHA256 of the shared
/// secret (salt: the ephemeral point; info: a label and the recipient id) to a key-encryption key, and
/// AES-256-GCM of the data key under it. Parameters: 32-byte recipient id, <c>u16 length</c>, ephemeral
/// public point (uncompressed, <c>04 ‖ X ‖ Y</c>), 12-byte nonce, 32-byte wrapped key, 16-byte tag.
/// </summary>
internal static class EcdhKeyWrap
{
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("keyshift-bundle-v1 ecdh key wrap ");

    public static SealedDataKey Seal(ECDiffieHellman recipient)
    {
        var curve = recipient.ExportParameters(false).Curve;
        using var ephemeral = ECDiffieHellman.Create(curve);
        var point = Encode(ephemeral.ExportParameters(false).Q);
        var id = KeyPem.Id(recipient);
        var kek = Kek(ephemeral.DeriveRawSecretAgreement(recipient.PublicKey), point, id);
        var dataKey = RandomNumberGenerator.GetBytes(BundleKey.DataKeySize);
        var nonce = RandomNumberGenerator.GetBytes(BundleHeader.NonceSize);
        var wrapped = new byte[BundleKey.DataKeySize];
        var tag = new byte[BundleHeader.TagSize];
        using (var gcm = new AesGcm(kek, BundleHeader.TagSize))
            gcm.Encrypt(nonce, dataKey, wrapped, tag, id);
        CryptographicOperations.ZeroMemory(kek);
        return new SealedDataKey([.. id, .. Length(point), .. point, .. nonce, .. wrapped, .. tag], dataKey);
    }

    public static byte[]? TryOpen(ECDiffieHellman identity, byte[] parameters, out string? problem)
    {
        problem = null;
        var span = parameters.AsSpan();
        var tail = BundleHeader.NonceSize + BundleKey.DataKeySize + BundleHeader.TagSize;
        if (span.Length < 34 || BinaryPrimitives.ReadUInt16BigEndian(span[32..]) != span.Length - 34 - tail)
        {
            problem = "its EC parameters are malformed";
            return null;
        }
        var id = KeyPem.Id(identity);
        if (!id.AsSpan().SequenceEqual(span[..32]))
        {
            problem = $"it was sealed for recipient {KeyPem.Describe(parameters[..32])}, and the identity is {KeyPem.Describe(id)}";
            return null;
        }
        var point = span.Slice(34, span.Length - 34 - tail).ToArray();
        var rest = span[(34 + point.Length)..];
        try
        {
            var own = identity.ExportParameters(false);
            var size = own.Q.X!.Length;
            if (point.Length != 1 + 2 * size || point[0] != 4)
                throw new CryptographicException("ephemeral point has the wrong size");
            using var ephemeral = ECDiffieHellman.Create(new ECParameters
            {
                Curve = own.Curve,
                Q = new ECPoint { X = point[1..(1 + size)], Y = point[(1 + size)..] },
            });
            var kek = Kek(identity.DeriveRawSecretAgreement(ephemeral.PublicKey), point, id);
            var dataKey = new byte[BundleKey.DataKeySize];
            using (var gcm = new AesGcm(kek, BundleHeader.TagSize))
                gcm.Decrypt(rest[..BundleHeader.NonceSize], rest.Slice(BundleHeader.NonceSize, BundleKey.DataKeySize), rest[^BundleHeader.TagSize..], dataKey, id);
            CryptographicOperations.ZeroMemory(kek);
            return dataKey;
        }
        catch (CryptographicException)
        {
            problem = "its wrapped data key does not unwrap";
            return null;
        }
    }

    private static byte[] Kek(byte[] shared, byte[] point, byte[] id)
    {
        var kek = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, BundleKey.DataKeySize, point, [.. Label, .. id]);
        CryptographicOperations.ZeroMemory(shared);
        return kek;
    }

    private static byte[] Encode(ECPoint q) => [4, .. q.X!, .. q.Y!];

    private static byte[] Length(byte[] point)
    {
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)point.Length);
        return length;
    }
}
