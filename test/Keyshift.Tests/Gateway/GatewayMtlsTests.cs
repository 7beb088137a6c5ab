using System.Net;
using System.Text.Json;
using Keyshift.Apis.Integrations;
using Keyshift.Configuration;
using Keyshift.Execution;
using Keyshift.Gateway;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Gateway;

/// <summary>Mutual TLS to the new endpoint: each consumer's legacy key is translated into its own client certificate.</summary>
public sealed class GatewayMtlsTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task New_Mtls_PresentsEachConsumersOwnCertificate_AndNeverTheLegacyKey()
    {
        using var ca = new TestCa();
        using var dir = new TempDir();
        var billingKey = Canary.New("legacy-billing");
        var ledgerKey = Canary.New("legacy-ledger");
        await using var legacy = await LegacyApi.StartAsync(new Dictionary<string, string> { [billingKey] = "billing-worker", [ledgerKey] = "ledger-sync" });
        await using var @new = await MtlsApi.StartAsync(ca);
        var config = Workspace(dir, ca, legacy.Url, @new.Url, billingKey, ledgerKey, withLedgerCertificate: true);
        using var migration = Migration.Open(config, new FakeTimeProvider());
        await using var server = await GatewayServer.StartAsync(migration, IntegrationReader.Read(migration.Config), null, Ct);
        using var http = new HttpClient();

        var billing = await GetAsync(http, server, billingKey);
        var ledger = await GetAsync(http, server, ledgerKey);
        var again = await GetAsync(http, server, billingKey);

        billing.GetProperty("client").GetString().ShouldBe("CN=billing-worker");
        ledger.GetProperty("client").GetString().ShouldBe("CN=ledger-sync");
        again.GetProperty("client").GetString().ShouldBe("CN=billing-worker");
        @new.Received.Count.ShouldBe(3);
        @new.Received.ShouldAllBe(h => !h.ContainsKey("X-API-Key"));
        legacy.Received.ShouldBeEmpty();
        server.Integrations[0].Clients.Count.ShouldBe(2);
    }

    [Fact]
    public async Task New_Mtls_ConsumerWithoutCertificate_IsBadInputNamingTheField()
    {
        using var ca = new TestCa();
        using var dir = new TempDir();
        var config = Workspace(dir, ca, new Uri("http://127.0.0.1:9001"), new Uri("https://127.0.0.1:9002"), "a", "b", withLedgerCertificate: false);
        var before = dir.Snapshot();

        var result = await CliRunner.RunAsync("gateway", "-c", config);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Err.ShouldContain("integrations.partner-payments.consumers.ledger-sync.certificate: is required: the new endpoint uses mutual TLS");
        dir.Snapshot().ShouldBe(before);
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, GatewayServer server, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.ProxyUrl, "v1/charges/ch_3NfZ8100"));
        request.Headers.Add("X-API-Key", key);
        using var response = await http.SendAsync(request, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    private static string Workspace(TempDir dir, TestCa ca, Uri legacy, Uri @new, string billingKey, string ledgerKey, bool withLedgerCertificate)
    {
        var (billingCert, billingPrivate) = ca.IssuePem("CN=billing-worker");
        var (ledgerCert, ledgerPrivate) = ca.IssuePem("CN=ledger-sync");
        dir.Write("legacy/.env", $"PARTNER_KEY_BILLING={billingKey}\nPARTNER_KEY_LEDGER={ledgerKey}\nUNRELATED=x\n");
        dir.Write("governed/secrets.json", JsonSerializer.Serialize(new
        {
            partner = new { billingCert, billingKey = billingPrivate, ledgerCert, ledgerKey = ledgerPrivate },
        }));
        dir.Write("certs/ca.pem", ca.Pem);
        var ledgerTls = withLedgerCertificate ? ", certificate: governed:partner#ledgerCert, privateKey: governed:partner#ledgerKey" : "";
        return dir.Write("keyshift.yaml", $$"""
            version: 1
            name: mtls-test
            stores:
              legacy: { type: dotenv, path: legacy/.env }
              governed: { type: json, path: governed/secrets.json }
            moves:
              - from: legacy:UNRELATED
                to: governed:other#unrelated
            gateway: { listen: "127.0.0.1:0", admin: "127.0.0.1:0", flushInterval: 1h }
            integrations:
              partner-payments:
                mode: new
                legacy: { url: "{{legacy.AbsoluteUri.TrimEnd('/')}}", auth: { type: api-key, header: X-API-Key } }
                new:    { url: "{{@new.AbsoluteUri.TrimEnd('/')}}", auth: { type: mtls, ca: "file:certs/ca.pem" } }
                consumers:
                  billing-worker: { legacyKey: legacy:PARTNER_KEY_BILLING, certificate: governed:partner#billingCert, privateKey: governed:partner#billingKey }
                  ledger-sync: { legacyKey: legacy:PARTNER_KEY_LEDGER{{ledgerTls}} }
                sunset: "2027-03-31"
            """.ReplaceLineEndings("\n"));
    }
}
