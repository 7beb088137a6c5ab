using Keyshift.Configuration;

namespace Keyshift.Issuers.X509;

/// <summary>The settings of an <c>x509</c> issuer.</summary>
public sealed record X509IssuerOptions
{
    /// <summary>Null for a local CA Keyshift creates in <c>.keyshift/ca/{issuer}/</c>.</summary>
    public string? CaCertificatePath { get; init; }

    /// <summary>Where the CA's private key (PEM) comes from when <see cref="CaCertificatePath"/> is set.</summary>
    public CredentialReference? CaKey { get; init; }

    public TimeSpan Validity { get; init; } = TimeSpan.FromDays(30);

    public string KeyType { get; init; } = "ecdsa-p256";

    /// <summary><c>client</c>, <c>server</c> or <c>both</c> (extended key usage).</summary>
    public string Usage { get; init; } = "client";

    public IReadOnlyList<string> DnsNames { get; init; } = [];

    /// <summary>Also output a base64 PKCS#12 bundle (field <c>pkcs12</c>, no password).</summary>
    public bool Pkcs12 { get; init; }

    /// <summary>A PEM CRL this issuer maintains: revoking adds the certificate's serial.</summary>
    public string? Crl { get; init; }
}
