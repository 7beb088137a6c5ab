using System.Security.Cryptography;

namespace Keyshift.Stores.Bundle;

/// <summary>
/// Reads and writes whole bundle files: header, then AES-256-GCM of the encoded entries with the header as
/// associated data, then the 16-byte tag. A write is one atomic rewrite with a fresh nonce. Every failure
/// to open says the bundle "is corrupt or the key is wrong" and returns no entry at all.
/// </summary>
internal static class BundleFile
{
    /// <summary>The header alone (to tell which key a bundle needs), or null when there is no file.</summary>
    public static BundleHeader? ReadHeader(string path, string owner)
    {
        if (!File.Exists(path))
            return null;
        var bytes = AtomicFile.Read(owner, path);
        return BundleHeader.TryParse(bytes, out var problem) ?? throw Corrupt(owner, path, problem!);
    }

    /// <summary>The decrypted contents, or null when the file does not exist.</summary>
    public static BundleContents? Read(string path, BundleKey key, string owner)
    {
        if (!File.Exists(path))
            return null;
        var file = AtomicFile.Read(owner, path);
        var header = BundleHeader.TryParse(file, out var problem) ?? throw Corrupt(owner, path, problem!);
        var dataKey = key.TryOpen(header, out problem) ?? throw Corrupt(owner, path, problem!);
        var body = file.AsSpan(header.Length);
        var ciphertext = body[..^BundleHeader.TagSize];
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using (var gcm = new AesGcm(dataKey, BundleHeader.TagSize))
                gcm.Decrypt(header.Nonce, ciphertext, body[^BundleHeader.TagSize..], plaintext, file.AsSpan(0, header.Length));
            var entries = BundlePlaintext.TryDecode(plaintext)
                ?? throw Corrupt(owner, path, "its entries do not decode");
            return new BundleContents(header, entries);
        }
        catch (CryptographicException)
        {
            throw Corrupt(owner, path, $"it does not decrypt with {key.Description}");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Seals the entries under a fresh nonce and replaces the file atomically.</summary>
    public static void Write(string path, BundleKey key, IReadOnlyDictionary<string, BundleEntry> entries, BundleHeader? previous)
    {
        var sealedKey = key.Seal(previous);
        var header = new BundleHeader(key.Mode, sealedKey.Parameters, RandomNumberGenerator.GetBytes(BundleHeader.NonceSize));
        var plaintext = BundlePlaintext.Encode(entries);
        try
        {
            var file = new byte[header.Length + plaintext.Length + BundleHeader.TagSize];
            header.WriteTo(file);
            var associated = file.AsSpan(0, header.Length);
            using (var gcm = new AesGcm(sealedKey.DataKey, BundleHeader.TagSize))
                gcm.Encrypt(header.Nonce, plaintext, file.AsSpan(header.Length, plaintext.Length), file.AsSpan(file.Length - BundleHeader.TagSize), associated);
            AtomicFile.Write(path, file);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            CryptographicOperations.ZeroMemory(sealedKey.DataKey);
        }
    }

    private static StoreException Corrupt(string owner, string path, string detail) =>
        new($"{owner}: bundle {path} is corrupt or the key is wrong: {detail}");
}
