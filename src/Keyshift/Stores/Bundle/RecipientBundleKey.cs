using System.Security.Cryptography;

namespace Keyshift.Stores.Bundle;

/// <summary>
/// A random data key per write, wrapped for a recipient's RSA key (RSA-OAEP-SHA256) or EC key (ECDH +
/// HKDF-SHA256 + AES-GCM). Writing needs the recipient's public key (or the identity, whose public half
/// is used); reading needs the matching private key, the identity.
/// </summary>
internal sealed class RecipientBundleKey : BundleKey
{
    private readonly AsymmetricAlgorithm? _recipient;
    private readonly AsymmetricAlgorithm? _identity;
    private readonly string _description;

    public RecipientBundleKey(AsymmetricAlgorithm? recipient, AsymmetricAlgorithm? identity, string description)
    {
        if (recipient is null && identity is null)
            throw new ArgumentException("a recipient key needs a public key, a private key or both");
        _recipient = recipient ?? identity;
        _identity = identity;
        _description = description;
    }

    public override BundleKeyMode Mode => _recipient is RSA ? BundleKeyMode.Rsa : BundleKeyMode.Ecdh;

    public override string Description => _description;

    public override SealedDataKey Seal(BundleHeader? previous) => _recipient switch
    {
        RSA rsa => RsaKeyWrap.Seal(rsa),
        ECDiffieHellman ec => EcdhKeyWrap.Seal(ec),
        _ => throw new InvalidOperationException("unsupported recipient key type"),
    };

    public override byte[]? TryOpen(BundleHeader header, out string? problem)
    {
        switch (_identity, header.Mode)
        {
            case (null, _):
                problem = "reading it needs the private key (identity), and only a recipient's public key was given";
                return null;
            case (RSA rsa, BundleKeyMode.Rsa):
                return RsaKeyWrap.TryOpen(rsa, header.KeyParameters, out problem);
            case (ECDiffieHellman ec, BundleKeyMode.Ecdh):
                return EcdhKeyWrap.TryOpen(ec, header.KeyParameters, out problem);
            default:
                problem = $"it was sealed with {header.SealedWith}, and the identity is {(_identity is RSA ? "an RSA" : "an EC")} key";
                return null;
        }
    }
}
