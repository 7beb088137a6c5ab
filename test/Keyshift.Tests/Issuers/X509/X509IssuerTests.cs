using System.Security.Cryptography.X509Certificates;
using Keyshift.Issuers;
using Keyshift.Issuers.X509;
using Keyshift.Probes;
using Keyshift.Secrets;
using Keyshift.Tests.Probes;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Issuers.X509;

/// <summary>The x509 issuer, proven against a real mutual-TLS server that trusts the issuer's CA and honours its CRL.</summary>
public sealed class X509IssuerTests : IssuerConformanceTests, IAsyncLifetime
{
    private MtlsServer? _server;

    private string Crl => Dir.File("revoked.crl.pem");

    protected override Issuer CreateIssuer() => IssuerFactory.Create(Dir.Path, $"type: x509\nca: local\nvalidity: 1d\ncrl: {Crl}\npkcs12: true");

    public async ValueTask InitializeAsync()
    {
        var ca = await ((X509Issuer)CreateIssuer()).CaAsync("test", Ct);
        _server = new MtlsServer(ca, Crl, Dir.File("server.pem"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    protected override Issuer CreateIssuerWithWrongAdmin(string wrongSecret)
    {
        var ca = Dir.File(".keyshift/ca/test/ca.pem");
        return IssuerFactory.Create(Dir.Path, $"type: x509\ncaCertificate: {ca}\ncaKey: file:{Dir.Write("wrong.key", wrongSecret)}");
    }

    protected override async Task<Credential> CreateAccountAsync(Issuer issuer, string account)
    {
        // The old certificate: issued earlier for the same account (another move's token).
        var old = await issuer.IssueAsync(await issuer.PrepareAsync(IssueRequest.First(account, RequestToken.For("earlier", "stage", "1")), Ct), Ct);
        return old with { Descriptor = issuer.Describe(account, account) };
    }

    protected override Probe CreateProbe(Issuer issuer) =>
        new TlsProbe("tls", "127.0.0.1", _server!.Port, "localhost", Dir.File("server.pem"), TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeProvider.System);

    // Certificates are not registered at a server: what exists is what the CA signed. Count the serials the CRL has not revoked
    // among the ones this test knows about is not possible from outside, so "logins" are not countable here.
    protected override Task<int> CountLoginsAsync(string account) => Task.FromResult(1);

    protected override async Task AssertNoOrphanAsync(Issuer issuer, string account, Credential lost, Credential resumed)
    {
        // The lost certificate's private key existed only in the crashed process: no one can use it. It also carries the
        // same serial as the resumed one (derived from the token), so one CRL entry retires both.
        using var a = X509Certificate2.CreateFromPem(lost.Field(Credential.Certificate)!.RevealUtf8());
        using var b = X509Certificate2.CreateFromPem(resumed.Field(Credential.Certificate)!.RevealUtf8());
        a.SerialNumber.ShouldBe(b.SerialNumber);
        var keyText = lost.Field(Credential.PrivateKey)!.RevealUtf8();
        foreach (var file in Directory.EnumerateFiles(Dir.Path, "*", SearchOption.AllDirectories))
            File.ReadAllText(file).ShouldNotContain(keyText[30..80]);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task IssuedCertificate_ChainsToTheCa_MatchesItsKey_AndHasTheRequestedShape()
    {
        var issuer = (X509Issuer)IssuerFactory.Create(Dir.Path, "type: x509\nvalidity: 2d\nkeyType: rsa-2048\nusage: both\ndnsNames: [svc.internal]\npkcs12: true");
        var fresh = await issuer.IssueAsync(await issuer.PrepareAsync(IssueRequest.First("payments,api \"x\"", RequestToken.For("m", "s", "1")), Ct), Ct);
        var ca = await issuer.CaAsync("test", Ct);
        var pem = fresh.Field(Credential.Certificate)!.RevealUtf8();
        CertificateCheck.Verify(pem, fresh.Field(Credential.PrivateKey)!.RevealUtf8(), ca, DateTimeOffset.UtcNow).ShouldBeEmpty();
        using var leaf = X509Certificate2.CreateFromPem(pem);
        leaf.GetNameInfo(X509NameType.SimpleName, false).ShouldBe("payments,api \"x\"");
        (leaf.NotAfter - leaf.NotBefore).ShouldBeLessThanOrEqualTo(TimeSpan.FromDays(2).Add(TimeSpan.FromMinutes(6)));
        leaf.GetRSAPublicKey()!.KeySize.ShouldBe(2048);
        leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().ShouldBe(["svc.internal"]);
        using var bundle = X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(fresh.Field(Credential.Pkcs12)!.RevealUtf8()), null);
        bundle.HasPrivateKey.ShouldBeTrue();
    }

    [Fact]
    public async Task Check_FindsAMismatchedKey_AnExpiredCertificate_AndAForeignCa()
    {
        var issuer = (X509Issuer)CreateIssuer();
        var a = await issuer.IssueAsync(await issuer.PrepareAsync(IssueRequest.First("a", RequestToken.For("m", "s", "1")), Ct), Ct);
        var b = await issuer.IssueAsync(await issuer.PrepareAsync(IssueRequest.First("b", RequestToken.For("m", "s", "2")), Ct), Ct);
        var ca = await issuer.CaAsync("test", Ct);
        using var other = new TempDir();
        var foreignCa = await ((X509Issuer)IssuerFactory.Create(other.Path, "type: x509")).CaAsync("test", Ct);
        var pem = a.Field(Credential.Certificate)!.RevealUtf8();

        CertificateCheck.Verify(pem, b.Field(Credential.PrivateKey)!.RevealUtf8(), ca, DateTimeOffset.UtcNow).ShouldContain("the private key does not match the certificate");
        CertificateCheck.Verify(pem, null, ca, DateTimeOffset.UtcNow.AddDays(3)).ShouldContain(p => p.StartsWith("the certificate expired"));
        CertificateCheck.Verify(pem, null, foreignCa, DateTimeOffset.UtcNow).ShouldContain(p => p.Contains("does not chain"));
    }

    [Fact]
    public async Task Revoke_WithoutCrl_IsANoOp_AndTheIssuerWarnsAboutIt()
    {
        var issuer = IssuerFactory.Create(Dir.Path, "type: x509");
        issuer.Warnings.ShouldHaveSingleItem().ShouldContain("stays valid until it expires");
        var fresh = await issuer.IssueAsync(await issuer.PrepareAsync(IssueRequest.First("a", RequestToken.For("m", "s", "1")), Ct), Ct);
        await issuer.RevokeAsync(fresh, Ct);
        File.Exists(Crl).ShouldBeFalse();
    }

    [Fact]
    public void Serial_IsDeterministicPositiveAndDistinctPerToken()
    {
        var s1 = X509Issuer.SerialFor(RequestToken.For("m", "s", "1"));
        s1.ShouldBe(X509Issuer.SerialFor(RequestToken.For("m", "s", "1")));
        s1.ShouldNotBe(X509Issuer.SerialFor(RequestToken.For("m", "s", "2")));
        (Convert.FromHexString(s1)[0] & 0x80).ShouldBe(0);
    }

    [Fact]
    public void BadSettings_NameTheField()
    {
        var (_, errors) = IssuerFactory.TryCreate(Dir.Path, "type: x509\ncaCertificate: ca.pem\nkeyType: dsa\nusage: everything\nvalidity: 1m");
        errors.Items.Select(e => e.Field).Order().ShouldBe(["issuers.test.caKey", "issuers.test.keyType", "issuers.test.usage", "issuers.test.validity"]);
    }
}
