using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keyshift.Issuers;
using Keyshift.Issuers.X509;
using Keyshift.Probes;
using Keyshift.Secrets;
using Keyshift.Tests.Issuers;
using Keyshift.Tests.Probes;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Execution;

/// <summary>
/// Certificate replacement end to end through the CLI: a local CA, a mutual-TLS server that requires client certificates
/// (and reads the issuer's CRL), the certificate in use read from a map of fields, and after retirement the old
/// certificate refused by the server and gone from where consumers read it.
/// </summary>
public sealed class X509CredentialReplacementTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempDir _dir = new();

    [Fact]
    public async Task ApplyThenRetire_NewCertificateAccepted_OldOneRefusedAndRemovedFromTheSource()
    {
        // The certificate in use today, from the same CA (the issuer's local CA in .keyshift/ca/pki).
        var issuer = (X509Issuer)IssuerFactory.Create(_dir.Path, "type: x509", name: "pki");
        var old = await issuer.IssueAsync(await issuer.PrepareAsync(IssueRequest.First("payments-client", RequestToken.For("legacy", "stage", "0")), Ct), Ct);
        var (oldCertificate, oldKey) = (old.Field(Credential.Certificate)!.RevealUtf8(), old.Field(Credential.PrivateKey)!.RevealUtf8());
        _dir.Write("legacy/certs.json", JsonSerializer.Serialize(new { certs = new { app = new { certificate = oldCertificate, privateKey = oldKey } } }));
        await using var server = new MtlsServer(await issuer.CaAsync("test", Ct), _dir.File("pki/revoked.crl.pem"), _dir.File("server.pem"));
        var config = _dir.Write("keyshift.yaml", $$"""
            version: 1
            mode: credential-replacement
            stores:
              legacy: { type: json, path: legacy/certs.json }
              governed: { type: json, path: governed/secrets.json }
            issuers:
              pki: { type: x509, ca: local, validity: 1d, pkcs12: true, crl: pki/revoked.crl.pem }
            moves:
              - from: legacy:certs/app
                to: governed:app/tls
                issuer: pki
                account: payments-client
                probes: [{ type: tls, host: 127.0.0.1, port: {{server.Port}}, serverName: localhost, caFile: server.pem }]
            cutover: { dualRun: 0s, quietWindow: 0s, approvals: 0 }
            """);

        var apply = await CliRunner.RunAsync("apply", "--until", "cutover", "-c", config);
        apply.ExitCode.ShouldBe(0, apply.ToString());
        var tls = JsonNode.Parse(File.ReadAllText(_dir.File("governed/secrets.json")))!["app"]!["tls"]!;
        var fresh = new Credential(CredentialDescriptor.Of("pki", "payments-client", "payments-client"), new Dictionary<string, SecretValue>
        {
            [Credential.Certificate] = SecretValue.FromUtf8((string)tls["certificate"]!),
            [Credential.PrivateKey] = SecretValue.FromUtf8((string)tls["privateKey"]!),
        });
        using (var leaf = X509Certificate2.CreateFromPem((string)tls["certificate"]!))
        using (var bundle = X509CertificateLoader.LoadPkcs12(Convert.FromBase64String((string)tls["pkcs12"]!), null))
        {
            bundle.HasPrivateKey.ShouldBeTrue();
            bundle.Thumbprint.ShouldBe(leaf.Thumbprint, "the PKCS#12 holds the same certificate as the PEM");
        }
        var probe = new TlsProbe("tls", "127.0.0.1", server.Port, "localhost", _dir.File("server.pem"), TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeProvider.System);
        (await probe.RunAsync(fresh, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
        (await probe.RunAsync(old, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded, "dual-run: the old certificate still works");

        var retire = await CliRunner.RunAsync("retire", "-c", config);
        retire.ExitCode.ShouldBe(0, retire.ToString());

        var refused = await probe.RunAsync(old, Ct);
        refused.Outcome.ShouldBe(ProbeOutcome.Refused, refused.Reason);
        (await probe.RunAsync(fresh, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
        using (var oldLeaf = X509Certificate2.CreateFromPem(oldCertificate))
            X509Issuer.RevokedSerials(File.ReadAllText(_dir.File("pki/revoked.crl.pem"))).ShouldContain(oldLeaf.SerialNumber);
        File.ReadAllText(_dir.File("legacy/certs.json")).ShouldNotContain("BEGIN", customMessage: "the old certificate and key are gone from where consumers read them");
        foreach (var output in new[] { apply, retire })
            Canary.FindIn(output.All, "output", [oldKey, (string)tls["privateKey"]!, (string)tls["pkcs12"]!]).ShouldBeEmpty();
    }

    public void Dispose() => _dir.Dispose();
}
