using System.Security.Cryptography;

namespace Keyshift.Stores.Bundle;

/// <summary>
/// Reads an RSA or EC key from a PEM file (<c>PUBLIC KEY</c>, <c>PRIVATE KEY</c>, <c>RSA …</c>, <c>EC PRIVATE KEY</c>)
/// as an <see cref="RSA"/> or an <see cref="ECDiffieHellman"/>, and names keys by the SHA-256 of their
/// SubjectPublicKeyInfo.
/// </summary>
internal static class KeyPem
{
    /// <summary>The key, or null and why. A private key is required when <paramref name="requirePrivate"/>.</summary>
    public static AsymmetricAlgorithm? TryLoad(string path, bool requirePrivate, out string? problem)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot read {path}: {e.Message}";
            return null;
        }
        return TryParse(text, path, requirePrivate, out problem);
    }

    /// <summary>Like <see cref="TryLoad"/> for PEM text from elsewhere (an environment variable); <paramref name="path"/> names it.</summary>
    public static AsymmetricAlgorithm? TryParse(string text, string path, bool requirePrivate, out string? problem)
    {
        problem = null;
        if (!PemEncoding.TryFind(text, out var fields))
        {
            problem = $"{path} holds no PEM key";
            return null;
        }
        var label = text[fields.Label];
        if (label == "ENCRYPTED PRIVATE KEY")
        {
            problem = $"{path} holds an encrypted private key; decrypt it first (openssl pkey -in {path} -out plain.pem)";
            return null;
        }
        var isPrivate = label.EndsWith("PRIVATE KEY", StringComparison.Ordinal);
        if (requirePrivate && !isPrivate)
        {
            problem = $"{path} holds a {label}, and reading a bundle needs the private key";
            return null;
        }
        if (label is not ("PUBLIC KEY" or "RSA PUBLIC KEY" or "PRIVATE KEY" or "RSA PRIVATE KEY" or "EC PRIVATE KEY"))
        {
            problem = $"{path} holds a {label}; expected an RSA or EC PUBLIC KEY or PRIVATE KEY";
            return null;
        }
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(text);
            return rsa;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            rsa.Dispose();
        }
        var ec = ECDiffieHellman.Create();
        try
        {
            ec.ImportFromPem(text);
            return ec;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            ec.Dispose();
            problem = $"{path} holds neither an RSA nor an EC key Keyshift can use";
            return null;
        }
    }

    /// <summary>SHA-256 of the key's SubjectPublicKeyInfo (DER): the recipient id written in the header.</summary>
    public static byte[] Id(AsymmetricAlgorithm key) => SHA256.HashData(key.ExportSubjectPublicKeyInfo());

    public static string Describe(byte[] id) => "sha256:" + Convert.ToHexStringLower(id)[..16];
}
