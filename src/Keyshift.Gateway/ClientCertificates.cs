using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Keyshift.Apis.Integrations;
using Keyshift.Issuers;

namespace Keyshift.Gateway;

/// <summary>
/// Mutual TLS to new endpoints: one <see cref="SocketsHttpHandler"/> per client certificate (consumers that share a
/// certificate share its connection pool), built once at start from the PEM certificate and key in their stores.
/// </summary>
internal sealed class ClientCertificates : IDisposable
{
    private readonly Dictionary<string, HttpMessageInvoker> _byThumbprint = new(StringComparer.Ordinal);
    private readonly List<X509Certificate2> _certificates = [];

    /// <summary>The client for <paramref name="consumer"/> of <paramref name="integration"/>: its own certificate, else the integration's.</summary>
    public async Task<HttpMessageInvoker> ClientForAsync(IntegrationConfig integration, IntegrationConsumer consumer, CredentialResolver resolver, string owner, CancellationToken cancellationToken)
    {
        var auth = integration.New.Auth;
        var (certificateRef, keyRef, field) = consumer.Certificate is { } own ? (own, consumer.PrivateKey!, owner) : (auth.Certificate, auth.PrivateKey, $"integrations.{integration.Name}.new.auth");
        if (certificateRef is null || keyRef is null)
            throw new IssuerException($"{owner}: certificate: is required: the new endpoint uses mutual TLS");
        var certificatePem = await resolver.ResolveAsync(certificateRef, field, "certificate", cancellationToken);
        var keyPem = await resolver.ResolveAsync(keyRef, field, "privateKey", cancellationToken);
        X509Certificate2 certificate;
        try
        {
            certificate = TlsCertificate.FromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            // ArgumentException: a key that is not the certificate's.
            throw new IssuerException($"{field}: certificate and privateKey do not form a usable client certificate: {e.GetType().Name}", e);
        }
        if (_byThumbprint.TryGetValue(certificate.Thumbprint, out var known))
        {
            certificate.Dispose();
            return known;
        }
        _certificates.Add(certificate);
        var roots = auth.Ca is { } ca ? await TrustAsync(ca, resolver, $"integrations.{integration.Name}.new.auth", cancellationToken) : null;
        var client = Forwarder.CreateInvoker(new SslClientAuthenticationOptions
        {
            ClientCertificates = [certificate],
            RemoteCertificateValidationCallback = roots is null ? null : (_, server, _, errors) => Trusted(server, errors, roots),
        });
        _byThumbprint[certificate.Thumbprint] = client;
        return client;
    }

    private static async Task<X509Certificate2Collection> TrustAsync(Configuration.CredentialReference ca, CredentialResolver resolver, string owner, CancellationToken cancellationToken)
    {
        var pem = await resolver.ResolveAsync(ca, owner, "ca", cancellationToken);
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(pem.RevealUtf8());
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new IssuerException($"{owner}: ca: not PEM certificates: {e.GetType().Name}", e);
        }
        if (roots.Count == 0)
            throw new IssuerException($"{owner}: ca: holds no PEM certificate");
        return roots;
    }

    /// <summary>The server certificate chains to one of <paramref name="roots"/> (or the system's) and names the host.</summary>
    private static bool Trusted(X509Certificate? server, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (errors == SslPolicyErrors.None)
            return true;
        if (server is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var certificate = server as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(server.GetRawCertData());
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        foreach (var client in _byThumbprint.Values)
            client.Dispose();
        foreach (var certificate in _certificates)
            certificate.Dispose();
    }
}
