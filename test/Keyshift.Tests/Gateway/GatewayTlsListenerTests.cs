using System.Net;
using System.Security.Cryptography.X509Certificates;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Gateway;

/// <summary><c>gateway.tls</c>: the proxy listener serves HTTPS, negotiating HTTP/2 or HTTP/1.1 by ALPN on one port.</summary>
public sealed class GatewayTlsListenerTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    private const string Tls = """, tls: { certificate: "file:tls/gateway.pem", privateKey: "file:tls/gateway.key" }""";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task TlsListener_ServesHttp1AndHttp2OnOnePort_WithHttpsForwardingHeaders(int major)
    {
        using var ca = new TestCa();
        using var certificate = ca.Issue("CN=127.0.0.1", server: true);
        await using var harness = GatewayHarness.Create();
        harness.Dir.Write("tls/gateway.pem", certificate.ExportCertificatePem());
        harness.Dir.Write("tls/gateway.key", certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await harness.StartAsync(legacy.Url, new Uri("http://127.0.0.1:9/"), "observe", gatewayExtra: Tls);
        using var client = TrustingClient(ca);
        using var request = harness.Get("/v1/charges/ch_3NfZ8100", harness.BillingKey);
        request.Version = new Version(major, 0);
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;

        using var response = await client.SendAsync(request, Ct);

        harness.Server.ProxyUrl.Scheme.ShouldBe("https");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Version.Major.ShouldBe(major);
        response.Headers.GetValues("Deprecation").Single().ShouldBe("@1806451200");
        var seen = legacy.Received.Last();
        seen["X-Forwarded-Proto"].ShouldBe("https");
        seen["Forwarded"].ShouldContain("proto=https");
    }

    [Fact]
    public async Task TlsListener_KeyThatDoesNotMatchCertificate_IsBadInputAndChangesNothing()
    {
        using var ca = new TestCa();
        using var certificate = ca.Issue("CN=127.0.0.1", server: true);
        using var other = ca.Issue("CN=other", server: true);
        using var dir = new TempDir();
        dir.Write("legacy/.env", "PARTNER_KEY_BILLING=a\nPARTNER_KEY_LEDGER=b\nUNRELATED=x\n");
        dir.Write("governed/secrets.json", """{ "partner": { "billing": "x", "ledger": "y" } }""");
        dir.Write("tls/gateway.pem", certificate.ExportCertificatePem());
        dir.Write("tls/gateway.key", other.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var config = dir.Write("keyshift.yaml", GatewayHarness.Config(new Uri("http://127.0.0.1:9001"), new Uri("http://127.0.0.1:9002"), "observe",
            gatewayExtra: Tls).ReplaceLineEndings("\n"));
        var before = dir.Snapshot();

        var result = await CliRunner.RunAsync("gateway", "-c", config);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Err.ShouldContain("gateway.tls");
        dir.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task TlsListener_CertificateWithoutKey_IsBadInputNamingTheField()
    {
        using var dir = new TempDir();
        dir.Write("legacy/.env", "PARTNER_KEY_BILLING=a\nPARTNER_KEY_LEDGER=b\nUNRELATED=x\n");
        var config = dir.Write("keyshift.yaml", GatewayHarness.Config(new Uri("http://127.0.0.1:9001"), new Uri("http://127.0.0.1:9002"), "observe",
            gatewayExtra: """, tls: { certificate: "file:tls/gateway.pem" }""").ReplaceLineEndings("\n"));
        var before = dir.Snapshot();

        var result = await CliRunner.RunAsync("gateway", "-c", config);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Err.ShouldContain("gateway.tls.privateKey");
        dir.Snapshot().ShouldBe(before);
    }

    private static HttpClient TrustingClient(TestCa ca) => new(new SocketsHttpHandler
    {
        SslOptions =
        {
            // Trust exactly the test CA, nothing else.
            RemoteCertificateValidationCallback = (_, server, _, _) =>
            {
                if (server is null)
                    return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca.Certificate);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(X509CertificateLoader.LoadCertificate(server.GetRawCertData()));
            },
        },
    });
}
