using Keyshift.Issuers;
using Keyshift.Issuers.X509;
using Keyshift.Probes;
using Keyshift.Secrets;
using Keyshift.Tests.Issuers;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Probes;

public sealed class TlsProbeTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(MtlsServer Server, X509Issuer Issuer)> StartAsync()
    {
        var issuer = (X509Issuer)IssuerFactory.Create(_dir.Path, "type: x509");
        return (new MtlsServer(await issuer.CaAsync("test", Ct), null, _dir.File("server.pem")), issuer);
    }

    private TlsProbe Probe(int port, string serverName = "localhost", TimeSpan? minValidity = null) =>
        new("tls", "127.0.0.1", port, serverName, _dir.File("server.pem"), minValidity ?? TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeProvider.System);

    [Fact]
    public async Task ClientCertificateFromAnotherCa_IsRefused()
    {
        var (server, _) = await StartAsync();
        await using var _ = server;
        using var other = new TempDir();
        var foreign = IssuerFactory.Create(other.Path, "type: x509");
        var credential = await foreign.IssueAsync(await foreign.PrepareAsync(IssueRequest.First("svc", RequestToken.For("m", "s", "1")), Ct), Ct);
        var result = await Probe(server.Port).RunAsync(credential, Ct);
        result.Outcome.ShouldBe(ProbeOutcome.Refused, result.Reason);
    }

    [Fact]
    public async Task WrongHostName_Fails_NotRefused()
    {
        var (server, issuer) = await StartAsync();
        await using var _ = server;
        var credential = await issuer.IssueAsync(await issuer.PrepareAsync(IssueRequest.First("svc", RequestToken.For("m", "s", "1")), Ct), Ct);
        var result = await Probe(server.Port, serverName: "api.example.com").RunAsync(credential, Ct);
        result.Outcome.ShouldBe(ProbeOutcome.Failed);
        result.Reason.ShouldContain("does not name api.example.com");
    }

    [Fact]
    public async Task ServerCertificateExpiringWithinMinValidity_Fails()
    {
        var (server, issuer) = await StartAsync();
        await using var _ = server;
        var credential = await issuer.IssueAsync(await issuer.PrepareAsync(IssueRequest.First("svc", RequestToken.For("m", "s", "1")), Ct), Ct);
        var result = await Probe(server.Port, minValidity: TimeSpan.FromDays(30)).RunAsync(credential, Ct);
        result.Outcome.ShouldBe(ProbeOutcome.Failed);
        result.Reason.ShouldContain("minValidity 30d");
    }

    [Fact]
    public async Task WithoutClientCertificate_TheHandshakeAloneIsChecked()
    {
        var (server, _) = await StartAsync();
        await using var _ = server;
        var none = Credential.Described(CredentialDescriptor.Of("t", "a", "a"));
        var result = await Probe(server.Port).RunAsync(none, Ct);
        // The server demands a client certificate; without one the handshake fails, which is not a refusal of any credential.
        result.Outcome.ShouldNotBe(ProbeOutcome.Refused);
    }

    public void Dispose() => _dir.Dispose();
}
