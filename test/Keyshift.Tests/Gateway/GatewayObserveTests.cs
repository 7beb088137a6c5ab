using System.Net;
using Keyshift.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Keyshift.Tests.Gateway;

public sealed class GatewayObserveTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Observe_PassesThroughAndAddsDeprecationSunsetAndLink()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await harness.StartAsync(legacy.Url, new Uri("http://127.0.0.1:9/"), "observe");

        using var response = await harness.Client.SendAsync(harness.Get("/v1/charges/ch_3NfZ8100", harness.BillingKey), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("\"status\":\"paid\"");
        // 2027-03-31T00:00:00Z
        response.Headers.GetValues("Deprecation").Single().ShouldBe("@1806451200");
        response.Headers.GetValues("Sunset").Single().ShouldBe("Wed, 31 Mar 2027 00:00:00 GMT");
        string.Join(", ", response.Headers.GetValues("Link")).ShouldBe(
            "<https://partner.example/migrate-to-oauth2>; rel=\"sunset\", <https://partner.example/migrate-to-oauth2>; rel=\"deprecation\"");
    }

    [Fact]
    public async Task Observe_RemovesHopByHopHeadersAndSetsForwardedHeaders()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await harness.StartAsync(legacy.Url, new Uri("http://127.0.0.1:9/"), "observe");
        using var request = harness.Get("/v1/charges/ch_3NfZ8100", harness.BillingKey);
        request.Headers.Connection.Add("X-Per-Hop");
        request.Headers.Add("X-Per-Hop", "only-for-this-hop");
        request.Headers.Add("Keep-Alive", "timeout=5");
        request.Headers.Add("Proxy-Authorization", "Basic abc");
        request.Headers.Add("X-End-To-End", "kept");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");

        using var response = await harness.Client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seen = legacy.Received.Last();
        seen.ShouldNotContainKey("X-Per-Hop");
        seen.ShouldNotContainKey("Keep-Alive");
        seen.ShouldNotContainKey("Proxy-Authorization");
        seen["X-End-To-End"].ShouldBe("kept");
        seen["X-Forwarded-For"].ShouldBe("203.0.113.9, 127.0.0.1");
        seen["X-Forwarded-Proto"].ShouldBe("http");
        seen["X-Forwarded-Host"].ShouldBe(harness.Server.ProxyUrl.Authority);
        seen["Forwarded"].ShouldBe($"for=127.0.0.1;proto=http;host=\"{harness.Server.ProxyUrl.Authority}\"");
    }

    [Fact]
    public async Task Observe_FillsLedgerByFingerprintConsumerAndEndpoint_NeverTheKey()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await harness.StartAsync(legacy.Url, new Uri("http://127.0.0.1:9/"), "observe");
        var unknownKey = Canary.New("unknown-key");

        for (var i = 0; i < 3; i++)
            (await harness.Client.SendAsync(harness.Get($"/v1/charges/ch_3NfZ81{i:D2}?expand=items", harness.BillingKey), Ct)).Dispose();
        (await harness.Client.SendAsync(harness.Get("/v1/charges/ch_3NfZ8100", harness.LedgerKey), Ct)).Dispose();
        using (var refused = await harness.Client.SendAsync(harness.Get("/v1/charges/ch_3NfZ8100", unknownKey), Ct))
            refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        harness.Server.Flush();

        var rows = await harness.Migration.Db.Usage.AsNoTracking().OrderBy(u => u.Consumer).ToListAsync(Ct);
        rows.Select(r => (r.Consumer, r.Endpoint, r.AuthScheme, r.Target, r.Count)).ShouldBe(
        [
            ("billing-worker", "GET /v1/charges/{id}", "api-key", "legacy", 3L),
            ("ledger-sync", "GET /v1/charges/{id}", "api-key", "legacy", 1L),
            ("unknown", "GET /v1/charges/{id}", "api-key", "legacy", 1L),
        ]);
        rows[0].StatusCodes.ShouldBe("200=3");
        rows[2].StatusCodes.ShouldBe("401=1");
        rows[0].CredentialFingerprint.ShouldBe(harness.Migration.Key.Of(Keyshift.Secrets.SecretValue.FromUtf8(harness.BillingKey)).Hex);
        rows[0].CredentialFingerprint.ShouldNotBe(rows[1].CredentialFingerprint);
        rows[0].LastSeen.ShouldBeGreaterThan(DateTimeOffset.MinValue);
        Canary.FindIn(harness.Footprint(), "state, audit and logs", [harness.BillingKey, harness.LedgerKey, unknownKey]).ShouldBeEmpty();
    }

    [Fact]
    public async Task Flush_AddsToExistingRowsAcrossGatewayRuns()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await harness.StartAsync(legacy.Url, new Uri("http://127.0.0.1:9/"), "observe");
        (await harness.Client.SendAsync(harness.Get("/v1/charges/ch_3NfZ8100", harness.BillingKey), Ct)).Dispose();
        harness.Server.Flush();
        (await harness.Client.SendAsync(harness.Get("/v1/charges/ch_3NfZ8101", harness.BillingKey), Ct)).Dispose();
        await harness.Server.StopAsync();

        var row = await harness.Migration.Db.Usage.AsNoTracking().SingleAsync(Ct);
        row.Count.ShouldBe(2);
        row.StatusCodes.ShouldBe("200=2");
    }

    [Fact]
    public async Task Admin_ServesPrometheusMetricsAndHealthOnItsOwnPort()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await harness.StartAsync(legacy.Url, new Uri("http://127.0.0.1:9/"), "observe");
        (await harness.Client.SendAsync(harness.Get("/v1/charges/ch_3NfZ8100", harness.BillingKey), Ct)).Dispose();

        var metrics = await harness.Client.GetStringAsync(new Uri(harness.Server.AdminUrl, "metrics"), Ct);
        var health = await harness.Client.GetStringAsync(new Uri(harness.Server.AdminUrl, "healthz"), Ct);
        using var notProxied = await harness.Client.GetAsync(new Uri(harness.Server.AdminUrl, "v1/charges/ch_3NfZ8100"), Ct);

        harness.Server.AdminUrl.Port.ShouldNotBe(harness.Server.ProxyUrl.Port);
        metrics.ShouldContain("# TYPE keyshift_gateway_requests_total counter");
        metrics.ShouldContain("keyshift_gateway_requests_total{integration=\"partner-payments\",consumer=\"billing-worker\",target=\"legacy\",code=\"200\"} 1");
        health.ShouldContain("\"status\":\"ok\"");
        notProxied.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        legacy.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task LegacyDown_AnswersBadGatewayAndKeepsServing()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await harness.StartAsync(new Uri("http://127.0.0.1:9/"), new Uri("http://127.0.0.1:9/"), "observe");

        using var first = await harness.Client.SendAsync(harness.Get("/v1/charges/ch_3NfZ8100", harness.BillingKey), Ct);
        using var second = await harness.Client.SendAsync(harness.Get("/v1/charges/ch_3NfZ8100", harness.BillingKey), Ct);

        first.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        second.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        first.Headers.Contains("Sunset").ShouldBeTrue();
        (await first.Content.ReadAsStringAsync(Ct)).ShouldContain("could not be reached");
    }

    [Fact]
    public async Task Observe_ServesCleartextHttp2WhenConfigured()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await harness.StartAsync(legacy.Url, new Uri("http://127.0.0.1:9/"), "observe", gatewayExtra: ", protocols: http2");
        using var request = harness.Get("/v1/charges/ch_3NfZ8100", harness.BillingKey);
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;

        using var response = await harness.Client.SendAsync(request, Ct);

        response.Version.ShouldBe(HttpVersion.Version20);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Contains("Sunset").ShouldBeTrue();
    }
}
