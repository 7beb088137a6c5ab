using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.Stores;

namespace Keyshift.Issuers.X509;

/// <summary>
/// Certificates from a CA whose key comes from a file, env or store reference, or from a local CA Keyshift creates.
/// Issues PEM (<c>certificate</c>: leaf + CA chain, <c>privateKey</c>: PKCS#8) and optionally base64 PKCS#12; every
/// issued certificate is checked (chain, validity, key match) before it is returned. The serial number is derived
/// from the request token. Revoking adds the serial to the issuer's CRL when <c>crl:</c> is set; consumers stop
/// reading the certificate when the engine removes it from the source store.
/// </summary>
public sealed class X509Issuer(string name, X509IssuerOptions options, string localCaDirectory, CredentialResolver credentials, TimeProvider time) : Issuer(name)
{
    private X509Certificate2? _ca;

    public X509IssuerOptions Options { get; } = options;

    public override string Type => "x509";

    public override IReadOnlyList<string> Fields => Options.Pkcs12
        ? [Credential.Certificate, Credential.PrivateKey, Credential.Pkcs12]
        : [Credential.Certificate, Credential.PrivateKey];

    public override IReadOnlyList<string> Warnings => Options.Crl is null
        ? [$"issuer '{Name}' has no crl: revoking a certificate only removes it from where consumers read it; it stays valid until it expires ({DurationText.Format(Options.Validity)} at most)"]
        : [];

    public static Issuer? Create(IssuerContext context)
    {
        var s = context.Settings;
        s.AllowOnly("type", "ca", "caCertificate", "caKey", "validity", "keyType", "usage", "dnsNames", "pkcs12", "crl");
        var ca = s.String("ca") ?? (s.Has("caCertificate") ? "file" : "local");
        string? caPath = null;
        CredentialReference? caKey = null;
        if (ca == "local")
        {
            if (s.Has("caCertificate") || s.Has("caKey"))
                s.Error("ca", "ca: local creates its own CA; remove caCertificate and caKey, or drop ca: local");
        }
        else
        {
            caPath = context.OptionalPath("caCertificate");
            if (caPath is null)
                s.Error("caCertificate", "is required unless ca: local (the CA certificate's PEM file)");
            caKey = s.Credential("caKey");
            if (caKey is null && !s.Has("caKey"))
                s.Error("caKey", "is required with caCertificate: env:NAME, file:PATH or a store address holding the CA's PEM private key");
        }
        var keyType = s.String("keyType") ?? "ecdsa-p256";
        if (keyType is not ("ecdsa-p256" or "ecdsa-p384" or "rsa-2048" or "rsa-3072" or "rsa-4096"))
            s.Error("keyType", $"'{keyType}' is not one of ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096");
        var usage = s.String("usage") ?? "client";
        if (usage is not ("client" or "server" or "both"))
            s.Error("usage", $"'{usage}' is not client, server or both");
        var validity = s.Duration("validity") ?? TimeSpan.FromDays(30);
        if (validity < TimeSpan.FromMinutes(10))
            s.Error("validity", "must be at least 10m");
        var options = new X509IssuerOptions
        {
            CaCertificatePath = caPath,
            CaKey = caKey,
            Validity = validity,
            KeyType = keyType,
            Usage = usage,
            DnsNames = s.StringList("dnsNames") ?? [],
            Pkcs12 = s.Bool("pkcs12") ?? false,
            Crl = context.OptionalPath("crl"),
        };
        var local = Path.Combine(context.Workspace.StateDirectory, "ca", context.Name);
        return new X509Issuer(context.Name, options, local, context.Credentials, context.Time);
    }

    /// <summary>The CA certificate (with its key) this issuer signs with.</summary>
    public async ValueTask<X509Certificate2> CaAsync(string step, CancellationToken cancellationToken)
    {
        if (_ca is not null)
            return _ca;
        if (Options.CaCertificatePath is null)
            return _ca = CertificateAuthority.LoadOrCreateLocal(localCaDirectory, Name, time);
        var key = await credentials.ResolveAsync(Options.CaKey!, $"issuer '{Name}' (x509): {step}", "caKey", cancellationToken);
        try
        {
            return _ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Options.CaCertificatePath, cancellationToken), key.RevealUtf8());
        }
        catch (Exception e) when (e is CryptographicException or IOException or ArgumentException)
        {
            throw Fail(step, $"cannot load the CA from {Options.CaCertificatePath} and caKey ({Options.CaKey}): {(e is CryptographicException ? "the key does not match the certificate or does not parse" : e.Message)}", e);
        }
    }

    public override async ValueTask<CredentialDescriptor> PrepareAsync(IssueRequest request, CancellationToken cancellationToken)
    {
        var ca = await CaAsync("prepare", cancellationToken);
        if (ca.NotAfter.ToUniversalTime() < time.GetUtcNow())
            throw Fail("prepare", $"the CA certificate '{ca.Subject}' expired at {ca.NotAfter.ToUniversalTime():u}");
        return CredentialDescriptor.Of(Name, request.Account, request.Account, ("token", request.Token.ShortHash), ("serial", SerialFor(request.Token)));
    }

    public override async ValueTask<Credential> IssueAsync(CredentialDescriptor pending, CancellationToken cancellationToken)
    {
        const string step = "issue";
        var ca = await CaAsync(step, cancellationToken);
        using AsymmetricAlgorithm key = Options.KeyType switch
        {
            "rsa-2048" => RSA.Create(2048),
            "rsa-3072" => RSA.Create(3072),
            "rsa-4096" => RSA.Create(4096),
            "ecdsa-p384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
            _ => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        };
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(pending.Username);
        var request = key is RSA rsa
            ? new CertificateRequest(subject.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject.Build(), (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | (key is RSA ? X509KeyUsageFlags.KeyEncipherment : 0), true));
        var usages = new OidCollection();
        if (Options.Usage is "client" or "both")
            usages.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        if (Options.Usage is "server" or "both")
            usages.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        if (Options.DnsNames.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var dns in Options.DnsNames)
                san.AddDnsName(dns);
            request.CertificateExtensions.Add(san.Build());
        }
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var now = time.GetUtcNow();
        var notAfter = now + Options.Validity;
        if (notAfter > ca.NotAfter.ToUniversalTime())
            notAfter = ca.NotAfter.ToUniversalTime();
        var serial = Convert.FromHexString(pending.Detail("serial") ?? throw Fail(step, "the pending descriptor has no serial"));
        // The signature generator follows the CA's key type, so an RSA leaf can come from an ECDSA CA and back.
        var signer = ca.GetECDsaPrivateKey() is { } caEc
            ? X509SignatureGenerator.CreateForECDsa(caEc)
            : X509SignatureGenerator.CreateForRSA(ca.GetRSAPrivateKey() ?? throw Fail(step, "the CA key is neither ECDSA nor RSA"), RSASignaturePadding.Pkcs1);
        using var certificate = request.Create(ca.SubjectName, signer, now.AddMinutes(-5), notAfter, serial);
        var certificatePem = certificate.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n";
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        var problems = CertificateCheck.Verify(certificatePem, keyPem, ca, now);
        if (problems.Count > 0)
            throw Fail(step, "the issued certificate failed its own check: " + string.Join("; ", problems));
        var fields = new Dictionary<string, SecretValue>(StringComparer.Ordinal)
        {
            [Credential.Certificate] = SecretValue.FromUtf8(certificatePem),
            [Credential.PrivateKey] = SecretValue.FromUtf8(keyPem),
        };
        if (Options.Pkcs12)
        {
            using var withKey = key is RSA r ? certificate.CopyWithPrivateKey(r) : certificate.CopyWithPrivateKey((ECDsa)key);
            var chain = new X509Certificate2Collection { withKey, X509CertificateLoader.LoadCertificate(ca.RawData) };
            fields[Credential.Pkcs12] = SecretValue.FromUtf8(Convert.ToBase64String(chain.Export(X509ContentType.Pkcs12)!));
        }
        var descriptor = pending.With("notAfter", notAfter.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return new Credential(descriptor, fields);
    }

    public override async ValueTask RevokeAsync(Credential credential, CancellationToken cancellationToken)
    {
        const string step = "revoke";
        if (Options.Crl is null)
            return;
        var serial = credential.Descriptor.Detail("serial") ?? SerialOf(credential)
            ?? throw Fail(step, $"cannot tell which certificate to revoke for '{credential.Descriptor.Username}': no serial and no certificate field");
        var ca = await CaAsync(step, cancellationToken);
        CertificateRevocationListBuilder builder;
        BigInteger number = 0;
        if (File.Exists(Options.Crl))
        {
            var text = await File.ReadAllTextAsync(Options.Crl, cancellationToken);
            if (RevokedSerials(text).Contains(serial.ToUpperInvariant()))
                return;
            builder = CertificateRevocationListBuilder.Load(Convert.FromBase64String(text[PemEncoding.Find(text).Base64Data]), out number);
        }
        else
        {
            builder = new CertificateRevocationListBuilder();
        }
        builder.AddEntry(Convert.FromHexString(serial), time.GetUtcNow());
        var now = time.GetUtcNow();
        var crl = builder.Build(ca, number + 1, now.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: now);
        AtomicFile.Write(Options.Crl, Encoding.ASCII.GetBytes(PemEncoding.WriteString("X509 CRL", crl) + "\n"));
    }

    /// <summary>The serial numbers listed in a PEM CRL (upper-case hex), for checks and tests.</summary>
    public static IReadOnlySet<string> RevokedSerials(string crlPem)
    {
        var fields = PemEncoding.Find(crlPem);
        var der = Convert.FromBase64String(crlPem[fields.Base64Data]);
        var serials = new HashSet<string>(StringComparer.Ordinal);
        var reader = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbs = reader.ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
            tbs.ReadInteger();
        tbs.ReadSequence();
        tbs.ReadEncodedValue();
        tbs.ReadEncodedValue();
        if (tbs.HasData && (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) || tbs.PeekTag().HasSameClassAndValue(Asn1Tag.GeneralizedTime)))
            tbs.ReadEncodedValue();
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var entries = tbs.ReadSequence();
            while (entries.HasData)
            {
                var entry = entries.ReadSequence();
                serials.Add(Convert.ToHexString(entry.ReadIntegerBytes().Span));
            }
        }
        return serials;
    }

    /// <summary>Sixteen bytes of SHA-256 of the token, top bit clear (a positive serial, RFC 5280 §4.1.2.2).</summary>
    public static string SerialFor(RequestToken token)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("keyshift/x509/" + token.Value))[..16];
        bytes[0] = (byte)((bytes[0] & 0x7F) | 0x01);
        return Convert.ToHexString(bytes);
    }

    private static string? SerialOf(Credential credential)
    {
        if (credential.Field(Credential.Certificate) is not { } pem)
            return null;
        using var certificate = X509Certificate2.CreateFromPem(pem.RevealUtf8());
        return certificate.SerialNumber;
    }
}
