using System.Net;
using System.Text.Json;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Gateway;

public sealed class GatewayCliTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApiStatus_ReportsLegacyUseShadowDifferencesAndTokenExchangePerConsumer()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        await harness.StartAsync(legacy.Url, @new.Url, "shadow");
        for (var i = 0; i < 5; i++)
            (await harness.Client.SendAsync(harness.Get($"/v1/charges/ch_3NfZ81{i:D2}", harness.BillingKey), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await harness.Server.DrainAsync();

        var result = await CliRunner.RunAsync("api", "status", "-c", harness.Dir.File("keyshift.yaml"), "--format", "json");
        var table = await CliRunner.RunAsync("api", "status", "-c", harness.Dir.File("keyshift.yaml"));

        result.ExitCode.ShouldBe(0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var integration = json.RootElement.GetProperty("integrations")[0];
        integration.GetProperty("integration").GetString().ShouldBe("partner-payments");
        var billing = integration.GetProperty("consumers").EnumerateArray().Single(c => c.GetProperty("consumer").GetString() == "billing-worker");
        billing.GetProperty("legacyRequests").GetInt64().ShouldBe(5);
        billing.GetProperty("shadowComparisons").GetInt64().ShouldBe(5);
        billing.GetProperty("diffRatePercent").GetDouble().ShouldBe(100);
        billing.GetProperty("differingPaths").GetProperty("$.status").GetInt64().ShouldBe(5);
        billing.GetProperty("tokenExchangeWorks").GetBoolean().ShouldBeTrue();
        billing.GetProperty("lastLegacyUse").GetString().ShouldNotBeNullOrEmpty();
        var ledgerSync = integration.GetProperty("consumers").EnumerateArray().Single(c => c.GetProperty("consumer").GetString() == "ledger-sync");
        ledgerSync.GetProperty("legacyRequests").GetInt64().ShouldBe(0);
        table.ExitCode.ShouldBe(0, table.ToString());
        table.Out.ShouldContain("$.status ×5");
        Canary.FindIn(result.All + table.All, "api status output", [harness.BillingKey, harness.LedgerKey]).ShouldBeEmpty();
    }

    [Fact]
    public async Task Gateway_MissingCredential_IsBadInputNamingConsumerAndField()
    {
        using var dir = new TempDir();
        dir.Write("legacy/.env", "UNRELATED=x\n");
        var config = dir.Write("keyshift.yaml", GatewayHarness.Config(new Uri("http://127.0.0.1:9001"), new Uri("http://127.0.0.1:9002"), "observe").ReplaceLineEndings("\n"));

        var before = dir.Snapshot();

        var result = await CliRunner.RunAsync("gateway", "-c", config);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Err.ShouldContain("integrations.partner-payments.consumers.billing-worker");
        result.Err.ShouldContain("legacyKey");
        dir.Snapshot().ShouldBe(before);
    }
}
