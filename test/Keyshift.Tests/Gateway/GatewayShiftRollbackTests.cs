using System.Net;
using Keyshift.Apis.Integrations;
using Keyshift.Configuration;
using Keyshift.Gateway;
using Microsoft.EntityFrameworkCore;

namespace Keyshift.Tests.Gateway;

/// <summary>Shift mode's automatic rollback on the shadow diff rate, and its persistence across restarts (real oidc-provider).</summary>
public sealed class GatewayShiftRollbackTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    private const string DiffRateShift = "shift\n    weight: 10\n    rollback: { window: 10, minRequests: 4, diffRate: 50 }";

    [Fact]
    public async Task Shift_DiffRateCrossesThreshold_RollsBackToLegacy_Audits_AndStaysRolledBackAfterRestart()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        await harness.StartAsync(legacy.Url, @new.Url, DiffRateShift);

        // The legacy share is mirrored to new and compared: new reports status "succeeded" where legacy says "paid".
        for (var i = 0; i < 12; i++)
        {
            using var request = harness.Get($"/v1/charges/ch_3NfZ81{i:D2}", harness.BillingKey);
            request.Headers.Add("Idempotency-Key", LegacyKeyFor(i));
            (await harness.Client.SendAsync(request, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        await harness.Server.DrainAsync();

        harness.Server.Integrations[0].Guard.RolledBack.ShouldBeTrue();
        var audit = await File.ReadAllTextAsync(harness.Dir.File(".keyshift/audit.jsonl"), Ct);
        audit.ShouldContain("gateway.rollback");
        audit.ShouldContain("diffRate");
        var row = await harness.Migration.Db.GatewayRollbacks.AsNoTracking().SingleAsync(Ct);
        row.Integration.ShouldBe("partner-payments");
        row.Rule.ShouldBe("diffRate");
        row.Count.ShouldBeGreaterThanOrEqualTo(row.Window / 2);

        // A restart keeps the rollback: a request whose hash picks new still goes to legacy.
        await harness.RestartAsync(legacy.Url, @new.Url, DiffRateShift);
        harness.Server.Integrations[0].Guard.RolledBack.ShouldBeTrue();
        var toNewKey = Enumerable.Range(0, 1000).Select(i => $"probe-{i}").First(k => ShiftGuard.Bucket("billing-worker\n" + k) < 10);
        var newBefore = @new.Received.Count;
        using (var request = harness.Get("/v1/charges/ch_3NfZ8199", harness.BillingKey))
        {
            request.Headers.Add("Idempotency-Key", toNewKey);
            using var response = await harness.Client.SendAsync(request, Ct);
            (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("\"status\":\"paid\"");
        }
        @new.Received.Count.ShouldBe(newBefore);

        // Reset by the operator (audited): the next start shifts again.
        GatewayServer.ResetRollbacks(harness.Migration, IntegrationReader.Read(harness.Migration.Config), ["partner-payments"]);
        await harness.RestartAsync(legacy.Url, @new.Url, DiffRateShift);
        harness.Server.Integrations[0].Guard.RolledBack.ShouldBeFalse();
        using (var request = harness.Get("/v1/charges/ch_3NfZ8199", harness.BillingKey))
        {
            request.Headers.Add("Idempotency-Key", toNewKey);
            using var response = await harness.Client.SendAsync(request, Ct);
            (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("\"status\":\"succeeded\"");
        }
        (await File.ReadAllTextAsync(harness.Dir.File(".keyshift/audit.jsonl"), Ct)).ShouldContain("gateway.rollback-reset");
    }

    [Fact]
    public async Task Shift_WithoutDiffRate_MirrorsNothing()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        await harness.StartAsync(legacy.Url, @new.Url, "shift\n    weight: 0");

        for (var i = 0; i < 6; i++)
            (await harness.Client.SendAsync(harness.Get($"/v1/charges/ch_3NfZ81{i:D2}", harness.BillingKey), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await harness.Server.DrainAsync();

        @new.Received.ShouldBeEmpty();
        harness.Server.Integrations[0].Guard.RolledBack.ShouldBeFalse();
    }

    [Fact]
    public async Task ResetRollback_UnknownIntegration_IsBadInput()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        await harness.StartAsync(legacy.Url, @new.Url, DiffRateShift);

        var error = Should.Throw<BadInputException>(() => GatewayServer.ResetRollbacks(harness.Migration, IntegrationReader.Read(harness.Migration.Config), ["partner-payment"]));

        error.Message.ShouldContain("--reset-rollback");
        error.Message.ShouldContain("partner-payment");
    }

    private static string LegacyKeyFor(int i) =>
        Enumerable.Range(i * 1000, 1000).Select(n => $"order-{n}").First(k => ShiftGuard.Bucket("billing-worker\n" + k) >= 10);
}
