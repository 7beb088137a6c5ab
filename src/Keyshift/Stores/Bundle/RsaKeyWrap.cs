using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Keyshift.Stores.Bundle;

/// <summary>
/// RSA-OAEP-SHA256 of the data key. Parameters: 32-byte recipient id, <c>u16 length</c>, wrapped key.
/// </summary>
internal static class RsaKeyWrap
{
    public static SealedDataKey Seal(RSA recipient)
    {
        var dataKey = RandomNumberGenerator.GetBytes(BundleKey.DataKeySize);
        var wrapped = recipient.Encrypt(dataKey, RSAEncryptionPadding.OaepSHA256);
        var id = KeyPem.Id(recipient);
        var parameters = new byte[id.Length + 2 + wrapped.Length];
        id.CopyTo(parameters, 0);
        BinaryPrimitives.WriteUInt16BigEndian(parameters.AsSpan(id.Length), (ushort)wrapped.Length);
        wrapped.CopyTo(parameters, id.Length + 2);
        return new SealedDataKey(parameters, dataKey);
    }

    public static byte[]? TryOpen(RSA identity, byte[] parameters, out string? problem)
    {
        problem = null;
        if (parameters.Length < 34 || BinaryPrimitives.ReadUInt16BigEndian(parameters.AsSpan(32)) != parameters.Length - 34)
        {
            problem = "its RSA parameters are malformed";
            return null;
        }
        var id = KeyPem.Id(identity);
        if (!id.AsSpan().SequenceEqual(parameters.AsSpan(0, 32)))
        {
            problem = $"it was sealed for recipient {KeyPem.Describe(parameters[..32])}, and the identity is {KeyPem.Describe(id)}";
            return null;
        }
        try
        {
            var dataKey = identity.Decrypt(parameters.AsSpan(34).ToArray(), RSAEncryptionPadding.OaepSHA256);
            if (dataKey.Length == BundleKey.DataKeySize)
                return dataKey;
        }
        catch (CryptographicException)
        {
        }
        problem = "its wrapped data key does not unwrap";
        return null;
    }
}
