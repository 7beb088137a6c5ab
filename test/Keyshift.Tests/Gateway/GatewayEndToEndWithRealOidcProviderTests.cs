using System.Net;
using System.Text.Json;
using Keyshift.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Keyshift.Tests.Gateway;

/// <summary>
/// The whole migration of a partner integration from API keys to OAuth2, against the real oidc-provider (test/servers.sh):
/// observe → shadow (changed field reported, noise filtered) → shift 10% → new → ledger quiet → legacy key retired →
/// the legacy API itself refuses the key. The legacy API reads its valid keys from the store file, so revocation
/// through the store really takes effect. A fake clock stands in for the hour-long quiet window.
/// </summary>
public sealed class GatewayEndToEndWithRealOidcProviderTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    private const string RetireMove = """
          - from: legacy:PARTNER_KEY_BILLING
            integration: partner-payments
        """;

    private const string Cutover = "cutover: { dualRun: 0s, quietWindow: 1h }";

    [Fact]
    public async Task PartnerIntegration_ObserveShadowShiftNew_ThenLedgerQuiet_RetiresLegacyKey_WhichLegacyApiRefuses()
    {
        var clock = new FakeTimeProvider();
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartReadingStoreAsync(harness.Dir.File("legacy/.env"));
        await using var @new = await GatewayHarness.StartNewApiAsync();
        var config = harness.Dir.File("keyshift.yaml");

        // observe: pass-through, deprecation headers, ledger filled.
        await harness.StartAsync(legacy.Url, @new.Url, "observe", Cutover, clock, moves: RetireMove);
        for (var i = 0; i < 3; i++)
        {
            using var response = await harness.Client.SendAsync(harness.Get($"/v1/charges/ch_3Nobs{i:D3}", harness.BillingKey), Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Headers.Contains("Deprecation").ShouldBeTrue();
            response.Headers.Contains("Sunset").ShouldBeTrue();
        }
        @new.Received.ShouldBeEmpty();
        var applied = await CliRunner.RunAsync(clock, "apply", "-c", config, "--until", "cutover");
        applied.ExitCode.ShouldBe(0, applied.ToString());

        // shadow: legacy answers; new gets the translated credential; status reported, requestId learned as noise.
        await harness.RestartAsync(legacy.Url, @new.Url, "shadow", Cutover, clock, moves: RetireMove);
        for (var i = 0; i < 4; i++)
        {
            using var response = await harness.Client.SendAsync(harness.Get($"/v1/charges/ch_3Nsha{i:D3}", harness.BillingKey), Ct);
            (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("\"status\":\"paid\"");
        }
        await harness.Server.DrainAsync();
        var status = await CliRunner.RunAsync(clock, "api", "status", "-c", config, "--format", "json");
        status.ExitCode.ShouldBe(0, status.ToString());
        using (var json = JsonDocument.Parse(status.Out))
        {
            var billing = json.RootElement.GetProperty("integrations")[0].GetProperty("consumers").EnumerateArray()
                .Single(c => c.GetProperty("consumer").GetString() == "billing-worker");
            var paths = billing.GetProperty("differingPaths").EnumerateObject().Select(p => p.Name).ToList();
            paths.ShouldBe(["$.status"]);
            billing.GetProperty("tokenExchangeWorks").GetBoolean().ShouldBeTrue();
        }
        @new.Clients.ShouldAllBe(c => c == "billing-worker");

        // shift 10%: a tenth of distinct requests (by idempotency key) go to new, the rest to legacy.
        await harness.RestartAsync(legacy.Url, @new.Url, "shift\n    weight: 10", Cutover, clock, moves: RetireMove);
        var (legacyBefore, newBefore) = (legacy.Received.Count, @new.Received.Count);
        for (var i = 0; i < 100; i++)
        {
            using var request = harness.Get($"/v1/charges/ch_3Nsft{i:D3}", harness.BillingKey);
            request.Headers.Add("Idempotency-Key", $"order-{i:D4}");
            using var response = await harness.Client.SendAsync(request, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var toNew = @new.Received.Count - newBefore;
        toNew.ShouldBeInRange(3, 25);
        (legacy.Received.Count - legacyBefore).ShouldBe(100 - toNew);

        // new: everything goes to new with a bearer token, never the legacy key.
        clock.Advance(TimeSpan.FromMinutes(1));
        await harness.RestartAsync(legacy.Url, @new.Url, "new", Cutover, clock, moves: RetireMove);
        (legacyBefore, newBefore) = (legacy.Received.Count, @new.Received.Count);
        for (var i = 0; i < 5; i++)
        {
            using var response = await harness.Client.SendAsync(harness.Get($"/v1/charges/ch_3Nnew{i:D3}", harness.BillingKey), Ct);
            (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("\"status\":\"succeeded\"");
        }
        legacy.Received.Count.ShouldBe(legacyBefore);
        (@new.Received.Count - newBefore).ShouldBe(5);
        @new.Received.ShouldAllBe(h => h["Authorization"].StartsWith("Bearer ") && !h.ContainsKey("X-API-Key"));

        // The consumer still presents its legacy key to the gateway: retiring it now would break it.
        harness.Server.Flush();
        var readiness = await CliRunner.RunAsync(clock, "api", "status", "-c", config, "--format", "json");
        using (var json = JsonDocument.Parse(readiness.Out))
        {
            var billing = json.RootElement.GetProperty("integrations")[0].GetProperty("consumers").EnumerateArray()
                .Single(c => c.GetProperty("consumer").GetString() == "billing-worker");
            billing.GetProperty("lastLegacyUse").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
            billing.GetProperty("lastLegacyKeyUse").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2026, 11, 22, 9, 1, 0, TimeSpan.Zero));
        }
        var refused = await CliRunner.RunAsync(clock, "retire", "-c", config, "--move", "legacy:PARTNER_KEY_BILLING", "--format", "json");
        refused.ExitCode.ShouldBe(1, refused.ToString());
        using (var json = JsonDocument.Parse(refused.Out))
        {
            var gate = json.RootElement.GetProperty("held")[0].GetProperty("gates").EnumerateArray().Single();
            gate.GetProperty("name").GetString().ShouldBe("quietWindow");
            gate.GetProperty("evidence").GetString()!.ShouldContain("usage ledger counts 112 requests, last seen 2026-11-22 09:01:00Z at GET /v1/charges/{id} (oauth2, to new)");
        }
        File.ReadAllText(harness.Dir.File("legacy/.env")).ShouldContain("PARTNER_KEY_BILLING=");

        // The consumer now calls the new API itself; an hour passes with the gateway running and the ledger quiet.
        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        harness.Server.Flush();
        var retired = await CliRunner.RunAsync(clock, "retire", "-c", config, "--move", "legacy:PARTNER_KEY_BILLING");
        retired.ExitCode.ShouldBe(0, retired.ToString());

        File.ReadAllText(harness.Dir.File("legacy/.env")).ShouldNotContain("PARTNER_KEY_BILLING=");
        using (var direct = new HttpRequestMessage(HttpMethod.Get, new Uri(legacy.Url, "v1/charges/ch_3Naft001")))
        {
            direct.Headers.Add("X-API-Key", harness.BillingKey);
            (await harness.Client.SendAsync(direct, Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        using (var other = new HttpRequestMessage(HttpMethod.Get, new Uri(legacy.Url, "v1/charges/ch_3Naft001")))
        {
            other.Headers.Add("X-API-Key", harness.LedgerKey);
            (await harness.Client.SendAsync(other, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var audit = File.ReadAllText(harness.Dir.File(".keyshift/audit.jsonl"));
        audit.ShouldContain("refused (401)");
        audit.ShouldContain("gate.quietWindow");
        var move = await harness.Migration.Db.Moves.AsNoTracking().SingleAsync(m => m.Id == "legacy:PARTNER_KEY_BILLING", Ct);
        move.State.ShouldBe(Keyshift.State.MoveState.Retired);

        // A restart after retirement serves on: the retired consumer is simply no longer identified by its old key.
        await harness.RestartAsync(legacy.Url, @new.Url, "new", Cutover, clock, moves: RetireMove);
        Canary.FindIn(applied.All + status.All + refused.All + retired.All + harness.Footprint(), "outputs, state, audit and logs", [harness.BillingKey]).ShouldBeEmpty();
    }
}
