using System.Security.Cryptography.X509Certificates;
using Keyshift.Secrets;

namespace Keyshift.Gateway;

/// <summary>A certificate with its private key, from PEM in stores, as TLS (SslStream) can use it.</summary>
internal static class TlsCertificate
{
    /// <exception cref="System.Security.Cryptography.CryptographicException">Not PEM, or not a certificate and key.</exception>
    /// <exception cref="ArgumentException">A key that is not the certificate's.</exception>
    public static X509Certificate2 FromPem(SecretValue certificatePem, SecretValue keyPem)
    {
        using var ephemeral = X509Certificate2.CreateFromPem(certificatePem.RevealUtf8(), keyPem.RevealUtf8());
        // SslStream wants a key it can use for the handshake on every platform: a PKCS#12 round trip gives it one.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }
}
