using System.Net;
using Keyshift.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Keyshift.Tests.Gateway;

public sealed class GatewayShiftTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Shift_FullWeight_SendsToNewWithBearerAndNeverTheLegacyKey()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        await harness.StartAsync(legacy.Url, @new.Url, "shift\n    weight: 100");

        using var response = await harness.Client.SendAsync(harness.Get("/v1/charges/ch_3NfZ8100", harness.BillingKey), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("\"status\":\"succeeded\"");
        response.Headers.Contains("Deprecation").ShouldBeFalse();
        legacy.Received.ShouldBeEmpty();
        @new.Clients.ShouldBe(["billing-worker"]);
        @new.Received.Single().ShouldNotContainKey("X-API-Key");
    }

    [Fact]
    public async Task Shift_SameIdempotencyKey_AlwaysGoesTheSameWay_AndPinnedConsumerStaysOnLegacy()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        await harness.StartAsync(legacy.Url, @new.Url, "shift\n    weight: 50");

        var sides = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            using var request = harness.Get("/v1/charges/ch_3NfZ8100", harness.BillingKey);
            request.Headers.Add("Idempotency-Key", "retry-me-7");
            using var response = await harness.Client.SendAsync(request, Ct);
            sides.Add(response.Headers.Contains("Deprecation"));
        }

        sides.Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task Shift_NewFailsOverThreshold_RollsBackToLegacy_AndAudits()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        @new.FailWith = 503;
        await harness.StartAsync(legacy.Url, @new.Url, "shift\n    weight: 100\n    rollback: { window: 10, minRequests: 4, errorRate: 50 }");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await harness.Client.SendAsync(harness.Get($"/v1/charges/ch_3NfZ81{i:D2}", harness.BillingKey), Ct);
            statuses.Add(response.StatusCode);
        }

        statuses.ShouldBe([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.OK]);
        harness.Server.Integrations[0].Guard.RolledBack.ShouldBeTrue();
        var audit = await File.ReadAllTextAsync(harness.Dir.File(".keyshift/audit.jsonl"), Ct);
        audit.ShouldContain("gateway.rollback");
        audit.ShouldContain("partner-payments");
        harness.Server.Metrics.Get("keyshift_gateway_rollbacks_total", ("integration", "partner-payments")).ShouldBe(1);
    }

    [Fact]
    public async Task New_AfterSunset_LegacyKeyIsAnsweredGoneNamingTheGuide()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.Zero));
        await harness.StartAsync(legacy.Url, @new.Url, "new", time: time);

        using var response = await harness.Client.SendAsync(harness.Get("/v1/charges/ch_3NfZ8100", harness.BillingKey), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Gone);
        var body = await response.Content.ReadAsStringAsync(Ct);
        body.ShouldContain("retired on 2027-03-31");
        body.ShouldContain("https://partner.example/migrate-to-oauth2");
        response.Headers.Contains("Sunset").ShouldBeTrue();
        legacy.Received.ShouldBeEmpty();
        @new.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task New_BeforeSunset_TranslatesEveryLegacyKey()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        await harness.StartAsync(legacy.Url, @new.Url, "new", time: new FakeTimeProvider());

        using var billing = await harness.Client.SendAsync(harness.Get("/v1/charges/ch_3NfZ8100", harness.BillingKey), Ct);
        using var ledger = await harness.Client.SendAsync(harness.Get("/v1/charges/ch_3NfZ8100", harness.LedgerKey), Ct);

        billing.StatusCode.ShouldBe(HttpStatusCode.OK);
        ledger.StatusCode.ShouldBe(HttpStatusCode.OK);
        @new.Clients.Order().ShouldBe(["billing-worker", "ledger-sync"]);
        legacy.Received.ShouldBeEmpty();
        harness.Server.Flush();
        (await harness.Migration.Db.Usage.AsNoTracking().CountAsync(u => u.Target == "new" && u.AuthScheme == "oauth2", Ct)).ShouldBe(2);
    }
}
