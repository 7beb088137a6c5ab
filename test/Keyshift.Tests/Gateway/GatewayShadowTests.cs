using System.Net;
using Keyshift.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Keyshift.Tests.Gateway;

/// <summary>Shadow mode against a real OAuth2 server (oidc-provider from test/servers.sh) and two sample APIs.</summary>
public sealed class GatewayShadowTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Shadow_TranslatesCredential_ReportsChangedField_FiltersLearnedNoise()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        await harness.StartAsync(legacy.Url, @new.Url, "shadow");

        for (var i = 0; i < 6; i++)
        {
            using var response = await harness.Client.SendAsync(harness.Get($"/v1/charges/ch_3NfZ81{i:D2}", harness.BillingKey), Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("\"status\":\"paid\"");
            response.Headers.Contains("Deprecation").ShouldBeTrue();
        }
        await harness.Server.DrainAsync();

        @new.Clients.Count.ShouldBe(6);
        @new.Clients.ShouldAllBe(c => c == "billing-worker");
        @new.Received.ShouldAllBe(h => h["Authorization"].StartsWith("Bearer ") && !h.ContainsKey("X-API-Key"));
        Canary.FindIn(string.Join('\n', @new.Received.SelectMany(h => h.Values)), "requests to new", [harness.BillingKey]).ShouldBeEmpty();
        // 6 answers + 3 noise samples sent to legacy twice
        legacy.Received.Count.ShouldBe(9);
        var shadow = await harness.Migration.Db.Usage.AsNoTracking().SingleAsync(u => u.Target == "shadow", Ct);
        shadow.Consumer.ShouldBe("billing-worker");
        shadow.AuthScheme.ShouldBe("oauth2");
        shadow.Count.ShouldBe(6);
        shadow.Differences.ShouldBe(6);
        // requestId differs between two legacy answers: learned as noise, never reported.
        shadow.DiffPaths.ShouldBe("$.status=6");
        harness.Server.Integrations[0].Noise.For("GET /v1/charges/{id}").ShouldBe(["$.requestId"]);
        harness.Server.Integrations[0].Tokens["billing-worker"].Requests.ShouldBe(1);
        var token = (await harness.Server.Integrations[0].Tokens["billing-worker"].GetAsync(Ct)).Value.RevealUtf8();
        Canary.FindIn(harness.Footprint(), "state, audit and logs", [harness.BillingKey, token]).ShouldBeEmpty();
    }

    [Fact]
    public async Task Shadow_ConcurrentRequests_ShareOneTokenRequest()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        await harness.StartAsync(legacy.Url, @new.Url, "shadow", "    noiseSamples: 0");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            harness.Client.SendAsync(harness.Get($"/v1/charges/ch_3NfZ81{i:D2}", i % 2 == 0 ? harness.BillingKey : harness.LedgerKey), Ct)));
        await harness.Server.DrainAsync();

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        harness.Server.Integrations[0].Tokens["billing-worker"].Requests.ShouldBe(1);
        harness.Server.Integrations[0].Tokens["ledger-sync"].Requests.ShouldBe(1);
        @new.Clients.Order().Distinct().ShouldBe(["billing-worker", "ledger-sync"]);
        foreach (var r in responses)
            r.Dispose();
    }

    [Fact]
    public async Task Shadow_LegacyAnswersWhileNewEndpointHoldsEveryRequest()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        @new.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await harness.StartAsync(legacy.Url, @new.Url, "shadow", "    noiseSamples: 0");

        using (var first = await harness.Client.SendAsync(harness.Get("/v1/charges/ch_3NfZ8100", harness.BillingKey), Ct))
            first.StatusCode.ShouldBe(HttpStatusCode.OK);
        await @new.FirstArrived.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        // The new endpoint now holds a request and answers nothing until released; legacy answers keep coming.
        for (var i = 0; i < 5; i++)
        {
            using var response = await harness.Client.SendAsync(harness.Get($"/v1/charges/ch_3NfZ81{i:D2}", harness.BillingKey), Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        @new.Gate.Task.IsCompleted.ShouldBeFalse();
        harness.Server.Metrics.Get("keyshift_gateway_shadow_comparisons_total", ("integration", "partner-payments"), ("consumer", "billing-worker"), ("result", "different")).ShouldBe(0);

        @new.Gate.SetResult();
        await harness.Server.DrainAsync();
        harness.Server.Metrics.Get("keyshift_gateway_shadow_comparisons_total", ("integration", "partner-payments"), ("consumer", "billing-worker"), ("result", "different")).ShouldBe(6);
    }

    [Fact]
    public async Task Shadow_FailingNewEndpoint_LegacyStillAnswers_AndErrorsAreCounted()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        @new.FailWith = 500;
        await harness.StartAsync(legacy.Url, @new.Url, "shadow", "    noiseSamples: 0");

        for (var i = 0; i < 4; i++)
        {
            using var response = await harness.Client.SendAsync(harness.Get($"/v1/charges/ch_3NfZ81{i:D2}", harness.BillingKey), Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        await harness.Server.DrainAsync();

        var shadow = await harness.Migration.Db.Usage.AsNoTracking().SingleAsync(u => u.Target == "shadow", Ct);
        shadow.Errors.ShouldBe(4);
        shadow.StatusCodes.ShouldBe("500=4");
        shadow.DiffPaths.ShouldContain("status=4");
    }

    [Fact]
    public async Task Shadow_IdpRefusesClient_LegacyStillAnswers_NothingLeaks()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        var wrongSecret = Canary.New("wrong-client-secret");
        await harness.StartAsync(legacy.Url, @new.Url, "shadow", "    noiseSamples: 0", billingSecret: wrongSecret);

        using var response = await harness.Client.SendAsync(harness.Get("/v1/charges/ch_3NfZ8100", harness.BillingKey), Ct);
        await harness.Server.DrainAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        @new.Received.ShouldBeEmpty();
        harness.Server.Metrics.Get("keyshift_gateway_token_requests_total", ("integration", "partner-payments"), ("consumer", "billing-worker"), ("result", "failed")).ShouldBe(1);
        Canary.FindIn(harness.Footprint(), "state, audit and logs", [harness.BillingKey, wrongSecret]).ShouldBeEmpty();
    }

    [Fact]
    public async Task Shadow_LegacyKeyInQuery_NeverReachesNewOrTheLedger()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        await harness.StartAsync(legacy.Url, @new.Url, "shadow", "    noiseSamples: 0", legacyAuth: "{ type: api-key, query: api_key }");

        using var response = await harness.Client.GetAsync(harness.Proxy($"/v1/charges/ch_3NfZ8100?expand=items&api_key={Uri.EscapeDataString(harness.BillingKey)}"), Ct);
        await harness.Server.DrainAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        legacy.Received.Single()[":path"].ShouldContain("api_key=");
        @new.Received.Single()[":path"].ShouldBe("/v1/charges/ch_3NfZ8100?expand=items");
        @new.Clients.ShouldBe(["billing-worker"]);
        Canary.FindIn(harness.Footprint(), "state, audit and logs", [harness.BillingKey]).ShouldBeEmpty();
        (await harness.Migration.Db.Usage.AsNoTracking().SingleAsync(u => u.Target == "legacy", Ct)).Endpoint.ShouldBe("GET /v1/charges/{id}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Shadow_UnsafeRequest_IsMirroredOnlyWhenAllowed_WithOneIdempotencyKeyForBothSides(bool mirrorUnsafe)
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        await harness.StartAsync(legacy.Url, @new.Url, "shadow", $"    mirrorUnsafe: {(mirrorUnsafe ? "true" : "false")}");
        using var request = new HttpRequestMessage(HttpMethod.Post, harness.Proxy("/v1/charges")) { Content = new StringContent("""{"amount":1200}""", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-Key", harness.BillingKey);

        using var response = await harness.Client.SendAsync(request, Ct);
        await harness.Server.DrainAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var atLegacy = legacy.Received.Single();
        if (!mirrorUnsafe)
        {
            @new.Received.ShouldBeEmpty();
            return;
        }
        var atNew = @new.Received.Single();
        atLegacy["Idempotency-Key"].ShouldNotBeNullOrEmpty();
        atNew["Idempotency-Key"].ShouldBe(atLegacy["Idempotency-Key"]);
        atNew["Content-Type"].ShouldStartWith("application/json");
        atNew.ShouldNotContainKey("X-API-Key");
        @new.Clients.ShouldBe(["billing-worker"]);
    }
}
