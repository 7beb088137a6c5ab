using Keyshift.Tests.Support;

namespace Keyshift.Tests.Configuration;

/// <summary>Credential and control-plane replacement config: issuers and credential moves are validated at load, naming file, line and field.</summary>
public sealed class CredentialConfigTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static string Config(string mode = "credential-replacement", string issuer = "{ type: postgres, host: 127.0.0.1, admin: env:PG_ADMIN }", string move = "issuer: db, account: app") => $$"""
        version: 1
        mode: {{mode}}
        stores:
          legacy: { type: dotenv, path: legacy/.env }
          governed: { type: json, path: governed/secrets.json }
        issuers:
          db: {{issuer}}
        moves:
          - { from: legacy:DB_PASSWORD, to: governed:app/db, {{move}} }
        """;

    private async Task<CliRunner.Result> PlanExpectingBadInput(string config)
    {
        Workspaces.Create(_dir, config);
        var before = _dir.Snapshot();
        var result = await CliRunner.RunAsync("plan", "-c", _dir.File("keyshift.yaml"));
        result.ExitCode.ShouldBe(2, result.ToString());
        _dir.Snapshot().ShouldBe(before);
        return result;
    }

    [Fact]
    public async Task UnknownIssuerType_NamesFileLineAndField()
    {
        var result = await PlanExpectingBadInput(Config(issuer: "{ type: postgress, admin: env:PG_ADMIN }"));
        result.Err.ShouldContain("keyshift.yaml:7:");
        result.Err.ShouldContain("issuers.db.type: unknown issuer type 'postgress'");
    }

    [Fact]
    public async Task MoveNamingAnUndeclaredIssuer_IsBadInput()
    {
        var result = await PlanExpectingBadInput(Config(move: "issuer: cache, account: app"));
        result.Err.ShouldContain("moves[0].issuer: unknown issuer 'cache'; declared issuers: db");
    }

    [Fact]
    public async Task SingleUserStrategy_WithoutTheExplicitFlag_IsBadInput()
    {
        var result = await PlanExpectingBadInput(Config(issuer: "{ type: postgres, admin: env:PG_ADMIN, strategy: single-user }"));
        result.Err.ShouldContain("issuers.db.strategy: single-user has no dual-run");
    }

    [Fact]
    public async Task SingleUserStrategy_WithTheFlag_PlanWarnsThatThereIsNoDualRun()
    {
        Workspaces.Create(_dir, Config(issuer: "{ type: postgres, admin: env:PG_ADMIN, strategy: single-user, allowSingleUser: true }"));
        var result = await CliRunner.RunAsync("plan", "-c", _dir.File("keyshift.yaml"));
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Err.ShouldContain("warning: issuer 'db' uses strategy single-user");
        result.Err.ShouldContain("no dual-run");
    }

    [Fact]
    public async Task RedisUnknownStrategy_NamesFileLineAndField()
    {
        var result = await PlanExpectingBadInput(Config(issuer: "{ type: redis, admin: env:REDIS_ADMIN, strategy: alternate }"));
        result.Err.ShouldContain("keyshift.yaml:7:");
        result.Err.ShouldContain("issuers.db.strategy: 'alternate' is not a strategy; expected multi-password or alternating-users");
    }

    [Fact]
    public async Task RequireProbe_NotABoolean_NamesTheField()
    {
        var result = await PlanExpectingBadInput(Config(move: "issuer: db, account: app, requireProbe: sometimes"));
        result.Err.ShouldContain("moves[0].requireProbe:");
    }

    [Fact]
    public async Task ControlPlaneReplacement_RequiresAnOwner()
    {
        var result = await PlanExpectingBadInput(Config(mode: "control-plane-replacement"));
        result.Err.ShouldContain("moves[0].owner: is required in mode control-plane-replacement");
    }

    [Fact]
    public async Task CredentialTargetWithAKey_IsBadInput()
    {
        var result = await PlanExpectingBadInput(Config().Replace("to: governed:app/db,", "to: governed:app/db#password,", StringComparison.Ordinal));
        result.Err.ShouldContain("moves[0].to: a credential move's target is where all its fields go");
    }

    public void Dispose() => _dir.Dispose();
}
