using Keyshift.Apis.Integrations;
using Keyshift.Execution;
using Keyshift.Gateway;
using Keyshift.Tests.Issuers;
using Keyshift.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Keyshift.Tests.Gateway;

/// <summary>
/// A workspace whose <c>keyshift.yaml</c> puts the gateway in front of a legacy and a new API, with two
/// consumers: their legacy keys (canaries) in a dotenv store, their OAuth2 client secrets in a JSON store.
/// </summary>
public sealed class GatewayHarness : IAsyncDisposable
{
    private GatewayHarness(TempDir dir) => Dir = dir;

    public TempDir Dir { get; }

    public string BillingKey { get; } = Canary.New("legacy-billing");

    public string LedgerKey { get; } = Canary.New("legacy-ledger");

    internal Migration Migration { get; private set; } = null!;

    internal GatewayServer Server { get; private set; } = null!;

    public CapturedLogs Logs { get; } = new();

    public HttpClient Client { get; } = new();

    public static string OidcUrl => TestServers.Require("KEYSHIFT_TEST_OIDC_URL");

    public static Task<NewApi> StartNewApiAsync() =>
        NewApi.StartAsync(OidcUrl, TestServers.Require("KEYSHIFT_TEST_OIDC_API_CLIENT"), TestServers.Require("KEYSHIFT_TEST_OIDC_API_SECRET"));

    public Dictionary<string, string> LegacyKeys => new() { [BillingKey] = "billing-worker", [LedgerKey] = "ledger-sync" };

    public static string Config(Uri legacy, Uri @new, string mode, string extra = "", string legacyAuth = "{ type: api-key, header: X-API-Key }", string gatewayExtra = "", string moves = "") => $$"""
        version: 1
        name: gateway-test
        stores:
          legacy: { type: dotenv, path: legacy/.env }
          governed: { type: json, path: governed/secrets.json }
        moves:
          - from: legacy:UNRELATED
            to: governed:other#unrelated
        {{moves}}
        gateway: { listen: "127.0.0.1:0", admin: "127.0.0.1:0", flushInterval: 1h{{gatewayExtra}} }
        integrations:
          partner-payments:
            mode: {{mode}}
            legacy: { url: "{{legacy.AbsoluteUri.TrimEnd('/')}}", auth: {{legacyAuth}} }
            new:    { url: "{{@new.AbsoluteUri.TrimEnd('/')}}", auth: { type: oauth2, tokenUrl: "{{OidcUrl}}/token", scopes: [charges] } }
            consumers:
              billing-worker: { legacyKey: legacy:PARTNER_KEY_BILLING, clientId: billing-worker, clientSecret: governed:partner#billing }
              ledger-sync: { legacyKey: legacy:PARTNER_KEY_LEDGER, clientId: ledger-sync, clientSecret: governed:partner#ledger }
            sunset: "2027-03-31"
            guide: "https://partner.example/migrate-to-oauth2"
        {{extra}}
        """;

    /// <summary>Writes the workspace without starting anything (keys must be known to the legacy API first).</summary>
    public static GatewayHarness Create() => new(new TempDir());

    public async Task StartAsync(Uri legacy, Uri @new, string mode, string extra = "", TimeProvider? time = null, string? billingSecret = null, string? legacyAuth = null, string gatewayExtra = "", string moves = "")
    {
        Dir.Write("legacy/.env", $"PARTNER_KEY_BILLING={BillingKey}\nPARTNER_KEY_LEDGER={LedgerKey}\nUNRELATED=x\n");
        Dir.Write("governed/secrets.json", $$"""
            { "partner": { "billing": "{{billingSecret ?? TestServers.Require("KEYSHIFT_TEST_OIDC_BILLING_SECRET")}}", "ledger": "{{TestServers.Require("KEYSHIFT_TEST_OIDC_LEDGER_SECRET")}}" } }
            """);
        var config = Dir.Write("keyshift.yaml", Config(legacy, @new, mode, extra, legacyAuth ?? "{ type: api-key, header: X-API-Key }", gatewayExtra, moves).ReplaceLineEndings("\n"));
        await OpenAsync(config, time);
    }

    /// <summary>Stops the gateway, rewrites keyshift.yaml (the stores stay as they are) and starts it again: how an operator changes mode.</summary>
    public async Task RestartAsync(Uri legacy, Uri @new, string mode, string extra = "", TimeProvider? time = null, string gatewayExtra = "", string moves = "")
    {
        await Server.DisposeAsync();
        Migration.Dispose();
        var config = Dir.Write("keyshift.yaml", Config(legacy, @new, mode, extra, "{ type: api-key, header: X-API-Key }", gatewayExtra, moves).ReplaceLineEndings("\n"));
        await OpenAsync(config, time);
    }

    private async Task OpenAsync(string config, TimeProvider? time)
    {
        Migration = Migration.Open(config, time ?? TimeProvider.System);
        var loggers = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        Server = await GatewayServer.StartAsync(Migration, IntegrationReader.Read(Migration.Config), loggers, TestContext.Current.CancellationToken);
    }

    public Uri Proxy(string path) => new(Server.ProxyUrl, path.TrimStart('/'));

    public HttpRequestMessage Get(string path, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Proxy(path));
        if (key is not null)
            request.Headers.Add("X-API-Key", key);
        return request;
    }

    /// <summary>Everything the gateway left behind: state database, audit log, logs.</summary>
    public string Footprint()
    {
        Server.Flush();
        var files = Directory.EnumerateFiles(Dir.File(".keyshift"), "*", SearchOption.AllDirectories)
            .Select(f => System.Text.Encoding.Latin1.GetString(ReadShared(f)));
        return string.Join('\n', files) + "\n" + Logs.Text;
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
            await Server.DisposeAsync();
        Migration?.Dispose();
        Client.Dispose();
        Dir.Dispose();
    }
}
