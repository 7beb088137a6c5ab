using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Keyshift.Stores;

namespace Keyshift.Issuers.X509;

/// <summary>Loads the CA an <c>x509</c> issuer signs with, or creates a local one (ECDSA P-256, 10 years) on first use.</summary>
internal static class CertificateAuthority
{
    public static X509Certificate2 LoadOrCreateLocal(string directory, string issuer, TimeProvider time)
    {
        var certPath = Path.Combine(directory, "ca.pem");
        var keyPath = Path.Combine(directory, "ca.key");
        if (File.Exists(certPath) && File.Exists(keyPath))
            return X509Certificate2.CreateFromPem(File.ReadAllText(certPath), File.ReadAllText(keyPath));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName($"Keyshift local CA ({issuer})");
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        using var ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        Directory.CreateDirectory(directory);
        // The key first (0600): a certificate without its key on disk would be unusable.
        AtomicFile.Write(keyPath, System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
        AtomicFile.Write(certPath, System.Text.Encoding.ASCII.GetBytes(ca.ExportCertificatePem() + "\n"));
        return X509Certificate2.CreateFromPem(File.ReadAllText(certPath), File.ReadAllText(keyPath));
    }
}
