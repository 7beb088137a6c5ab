using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Keyshift.Issuers.X509;

/// <summary>Checks an issued (or stored) certificate: it parses, the private key matches, it is valid now, and it chains to the CA.</summary>
public static class CertificateCheck
{
    /// <summary>Every problem found; empty when the certificate is good.</summary>
    public static IReadOnlyList<string> Verify(string certificatePem, string? privateKeyPem, X509Certificate2 ca, DateTimeOffset now)
    {
        var problems = new List<string>();
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(certificatePem);
        }
        catch (CryptographicException e)
        {
            return [$"the certificate does not parse: {e.Message}"];
        }
        if (certificates.Count == 0)
            return ["no certificate in the PEM text"];
        using var leaf = certificates[0];
        if (privateKeyPem is not null)
        {
            try
            {
                using var paired = X509Certificate2.CreateFromPem(certificatePem, privateKeyPem);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                problems.Add("the private key does not match the certificate");
            }
        }
        if (now < leaf.NotBefore.ToUniversalTime())
            problems.Add($"the certificate is not valid before {leaf.NotBefore.ToUniversalTime():u}");
        if (now > leaf.NotAfter.ToUniversalTime())
            problems.Add($"the certificate expired at {leaf.NotAfter.ToUniversalTime():u}");
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        for (var i = 1; i < certificates.Count; i++)
            chain.ChainPolicy.ExtraStore.Add(certificates[i]);
        if (!chain.Build(leaf))
        {
            var statuses = chain.ChainStatus.Where(s => s.Status is not (X509ChainStatusFlags.NotTimeValid)).Select(s => s.Status.ToString()).Distinct();
            var text = string.Join(", ", statuses);
            if (text.Length > 0)
                problems.Add($"the certificate does not chain to CA '{ca.Subject}' ({text})");
        }
        foreach (var c in certificates.Skip(1))
            c.Dispose();
        return problems;
    }
}
