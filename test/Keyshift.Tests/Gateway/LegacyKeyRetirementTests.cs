using System.Text.Json;
using Keyshift.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Keyshift.Tests.Gateway;

/// <summary>Retiring a consumer's legacy API key: a move gated on the gateway's usage ledger, probed straight at the legacy API.</summary>
public sealed class LegacyKeyRetirementTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    private const string RetireMove = """
          - from: legacy:PARTNER_KEY_BILLING
            integration: partner-payments
        """;

    private const string Cutover = "cutover: { dualRun: 0s, quietWindow: 1h }";

    [Fact]
    public async Task Retire_LegacyKey_WhenGatewayNeverCoveredTheWindow_IsHeldForNoCoverage()
    {
        var clock = new FakeTimeProvider();
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartReadingStoreAsync(harness.Dir.File("legacy/.env"));
        await using var @new = await GatewayHarness.StartNewApiAsync();
        await harness.StartAsync(legacy.Url, @new.Url, "observe", Cutover, clock, moves: RetireMove);
        await harness.Server.DisposeAsync();
        var config = harness.Dir.File("keyshift.yaml");
        (await CliRunner.RunAsync(clock, "apply", "-c", config, "--until", "cutover")).ExitCode.ShouldBe(0);

        // The gateway ran for an instant, then nothing watched the legacy key for an hour.
        clock.Advance(TimeSpan.FromHours(2));
        var result = await CliRunner.RunAsync(clock, "retire", "-c", config, "--move", "legacy:PARTNER_KEY_BILLING", "--format", "json");

        result.ExitCode.ShouldBe(1, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var evidence = json.RootElement.GetProperty("held")[0].GetProperty("gates")[0].GetProperty("evidence").GetString()!;
        evidence.ShouldStartWith("no coverage: the gateway's usage ledger for integration 'partner-payments'");
        evidence.ShouldContain("never seen by the gateway");
        File.ReadAllText(harness.Dir.File("legacy/.env")).ShouldContain("PARTNER_KEY_BILLING=");
        var status = await CliRunner.RunAsync(clock, "status", "-c", config, "--format", "json");
        status.Out.ShouldContain("usage ledger of the gateway (gateway/partner-payments)");
        status.Out.ShouldContain("no coverage: the gateway");
    }

    [Fact]
    public async Task Retire_LegacyKey_WhenLegacyApiStillAcceptsIt_FailsWithProbeEvidence_RetriesWithTheEscrowedKey_AndRollbackPutsItBack()
    {
        var clock = new FakeTimeProvider();
        await using var harness = GatewayHarness.Create();
        // This legacy API keeps its own key table: deleting the key from the store does not revoke it.
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        await harness.StartAsync(legacy.Url, @new.Url, "new", Cutover, clock, moves: RetireMove);
        var config = harness.Dir.File("keyshift.yaml");
        (await CliRunner.RunAsync(clock, "apply", "-c", config, "--until", "cutover")).ExitCode.ShouldBe(0);
        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        harness.Server.Flush();

        var first = await CliRunner.RunAsync(clock, "retire", "-c", config, "--move", "legacy:PARTNER_KEY_BILLING");
        var second = await CliRunner.RunAsync(clock, "retire", "-c", config, "--move", "legacy:PARTNER_KEY_BILLING");

        first.ExitCode.ShouldBe(3, first.ToString());
        first.Out.ShouldContain("still accepts the old key after revocation");
        second.ExitCode.ShouldBe(3, second.ToString());
        second.Out.ShouldContain("still accepts the old key after revocation");
        File.ReadAllText(harness.Dir.File("legacy/.env")).ShouldNotContain("PARTNER_KEY_BILLING=");
        var move = await harness.Migration.Db.Moves.AsNoTracking().SingleAsync(m => m.Id == "legacy:PARTNER_KEY_BILLING", Ct);
        move.State.ShouldNotBe(Keyshift.State.MoveState.Retired);
        move.PendingStep.ShouldBe("retire");
        // Every request the legacy API saw from the probe came straight to it, not through the gateway.
        legacy.Received.Count.ShouldBe(2);
        legacy.Received.ShouldAllBe(h => !h.ContainsKey("X-Forwarded-For") && h[":path"] == "/");
        Canary.FindIn(first.All + second.All + harness.Footprint(), "retire output, state, audit and logs", [harness.BillingKey]).ShouldBeEmpty();

        // Rollback before retirement puts the key back where it was (from the escrow): the consumer keeps working.
        var rolledBack = await CliRunner.RunAsync(clock, "rollback", "-c", config, "--move", "legacy:PARTNER_KEY_BILLING");
        rolledBack.ExitCode.ShouldBe(0, rolledBack.ToString());
        File.ReadAllText(harness.Dir.File("legacy/.env")).ShouldContain($"PARTNER_KEY_BILLING={harness.BillingKey}");
        (await harness.Migration.Db.Moves.AsNoTracking().SingleAsync(m => m.Id == "legacy:PARTNER_KEY_BILLING", Ct)).State.ShouldBe(Keyshift.State.MoveState.RolledBack);
        Canary.FindIn(rolledBack.All, "rollback output", [harness.BillingKey]).ShouldBeEmpty();
    }

    [Fact]
    public async Task Retire_LegacyKey_WhenLegacyApiCannotBeReached_IsNoEvidence_AndARerunFinishesWithTheEscrowedKey()
    {
        var clock = new FakeTimeProvider();
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartReadingStoreAsync(harness.Dir.File("legacy/.env"));
        await using var @new = await GatewayHarness.StartNewApiAsync();
        var closed = ClosedPort();
        await harness.StartAsync(closed, @new.Url, "new", Cutover, clock, moves: RetireMove);
        var config = harness.Dir.File("keyshift.yaml");
        (await CliRunner.RunAsync(clock, "apply", "-c", config, "--until", "cutover")).ExitCode.ShouldBe(0);
        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        harness.Server.Flush();

        var unreachable = await CliRunner.RunAsync(clock, "retire", "-c", config, "--move", "legacy:PARTNER_KEY_BILLING");
        // The operator fixes the legacy URL; the step resumes: the key is already gone from the store, the escrow has it.
        await harness.RestartAsync(legacy.Url, @new.Url, "new", Cutover, clock, moves: RetireMove);
        var resumed = await CliRunner.RunAsync(clock, "retire", "-c", config, "--move", "legacy:PARTNER_KEY_BILLING");

        unreachable.ExitCode.ShouldBe(3, unreachable.ToString());
        unreachable.Out.ShouldContain("could not be reached, which is no evidence");
        resumed.ExitCode.ShouldBe(0, resumed.ToString());
        (await harness.Migration.Db.Moves.AsNoTracking().SingleAsync(m => m.Id == "legacy:PARTNER_KEY_BILLING", Ct)).State.ShouldBe(Keyshift.State.MoveState.Retired);
        legacy.Received.ShouldHaveSingleItem()["X-API-Key"].ShouldBe(harness.BillingKey);
        File.ReadAllText(harness.Dir.File(".keyshift/audit.jsonl")).ShouldContain("refused (401)");
    }

    private static Uri ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}");
    }

    [Fact]
    public async Task Retire_LegacyKey_WithHttpIssuer_RevokesAtThePartnersAdminApi_ThenTheLegacyApiRefusesIt()
    {
        var clock = new FakeTimeProvider();
        await using var harness = GatewayHarness.Create();
        // The partner's admin API is also its legacy API: GET /v1/me authenticates X-Api-Key against its key table.
        await using var partner = await Keyshift.Tests.Issuers.Http.FakeAdminApi.StartAsync();
        partner.Keys["key_billing01"] = ("seeded", "billing-worker", harness.BillingKey);
        await using var @new = await GatewayHarness.StartNewApiAsync();
        harness.Dir.Write("admin-token", partner.AdminToken);
        var issuers = $$"""
            {{Cutover}}
            issuers:
              partner-admin:
                type: http
                url: {{partner.Url}}
                admin: file:admin-token
                auth: bearer
                create: { method: POST, path: /v1/keys, body: '{"name": "{name}", "owner": "{account}"}', key: $.data.secret, id: $.data.id }
                revoke: { method: DELETE, path: '/v1/keys/{id}' }
            """;
        var moves = RetireMove + "\n    issuer: partner-admin\n    account: key_billing01\n";
        await harness.StartAsync(new Uri(partner.Url, "v1/me"), @new.Url, "new", issuers, clock, moves: moves);
        var config = harness.Dir.File("keyshift.yaml");
        (await CliRunner.RunAsync(clock, "apply", "-c", config, "--until", "cutover")).ExitCode.ShouldBe(0);
        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        harness.Server.Flush();

        var result = await CliRunner.RunAsync(clock, "retire", "-c", config, "--move", "legacy:PARTNER_KEY_BILLING");

        result.ExitCode.ShouldBe(0, result.ToString());
        partner.Keys.ContainsKey("key_billing01").ShouldBeFalse();
        File.ReadAllText(harness.Dir.File("legacy/.env")).ShouldNotContain("PARTNER_KEY_BILLING=");
        var audit = File.ReadAllText(harness.Dir.File(".keyshift/audit.jsonl"));
        audit.ShouldContain("issuer 'partner-admin'");
        audit.ShouldContain("refused (401)");
        Canary.FindIn(result.All + harness.Footprint(), "retire output, state, audit and logs", [harness.BillingKey, partner.AdminToken]).ShouldBeEmpty();
    }

    [Fact]
    public async Task Config_IntegrationMoveWhoseSourceIsNoConsumersLegacyKey_IsBadInputNamingField()
    {
        using var dir = new TempDir();
        dir.Write("legacy/.env", "PARTNER_KEY_BILLING=x\nOTHER=y\nUNRELATED=z\n");
        dir.Write("governed/secrets.json", "{}");
        var config = dir.Write("keyshift.yaml", GatewayHarness.Config(new Uri("http://127.0.0.1:9001"), new Uri("http://127.0.0.1:9002"), "observe",
            moves: "  - from: legacy:OTHER\n    integration: partner-payments\n  - from: legacy:PARTNER_KEY_BILLING\n    integration: partner-payment\n").ReplaceLineEndings("\n"));
        var before = dir.Snapshot();

        var result = await CliRunner.RunAsync("plan", "-c", config);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Err.ShouldContain("moves[1].from: 'legacy:OTHER' is not the legacyKey of any consumer of integration 'partner-payments'");
        result.Err.ShouldContain("legacy:PARTNER_KEY_BILLING, legacy:PARTNER_KEY_LEDGER");
        result.Err.ShouldContain("moves[2].integration: unknown integration 'partner-payment'");
        dir.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task Plan_IntegrationMove_TargetsTheConsumersNewCredential()
    {
        using var dir = new TempDir();
        dir.Write("legacy/.env", "PARTNER_KEY_BILLING=x\nPARTNER_KEY_LEDGER=w\nUNRELATED=z\n");
        dir.Write("governed/secrets.json", "{ \"partner\": { \"billing\": \"s\" } }");
        var config = dir.Write("keyshift.yaml", GatewayHarness.Config(new Uri("http://127.0.0.1:9001"), new Uri("http://127.0.0.1:9002"), "observe", moves: RetireMove).ReplaceLineEndings("\n"));

        var result = await CliRunner.RunAsync("plan", "-c", config, "--format", "json");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("governed:partner#billing");
    }
}
