using System.Text.Json;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Execution;

/// <summary>Storage replacement end to end through the CLI, on real files and real SQLite, with a fake clock.</summary>
public sealed class StorageReplacementTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new();

    private string Governed => _dir.File("governed/secrets.json");

    private string? TargetValue(string path, string key)
    {
        if (!File.Exists(Governed))
            return null;
        var node = JsonDocument.Parse(File.ReadAllText(Governed)).RootElement;
        foreach (var part in path.Split('/'))
        {
            if (!node.TryGetProperty(part, out node))
                return null;
        }
        return node.TryGetProperty(key, out var leaf) ? leaf.GetString() : null;
    }

    private Task<CliRunner.Result> Run(params string[] args) => CliRunner.RunAsync(_time, [.. args, "-c", _dir.File("keyshift.yaml")]);

    [Fact]
    public async Task Plan_OnEmptyTarget_ShowsCreateForEveryMove_AndChangesNothing()
    {
        Workspaces.Create(_dir);
        var before = _dir.Snapshot(".keyshift");
        var result = await Run("plan");
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("3 to create");
        result.Out.ShouldContain("legacy:STRIPE_WEBHOOK_SECRET");
        _dir.Snapshot(".keyshift").ShouldBe(before);
    }

    [Fact]
    public async Task ApplyUntilCutover_WritesTargets_KeepsSource_ThenRetireWaitsForDualRunAndApproval()
    {
        Workspaces.Create(_dir);
        var envBefore = File.ReadAllText(_dir.File("legacy/.env"));

        var apply = await Run("apply", "--until", "cutover");
        apply.ExitCode.ShouldBe(0, apply.ToString());
        TargetValue("payments/db", "password").ShouldBe("pg-Xq7#pL2w!vR9");
        TargetValue("payments/stripe", "STRIPE_SECRET_KEY").ShouldBe("sk_test_4eC39HqLyjWDarjtT1zdp7dc");
        File.ReadAllText(_dir.File("legacy/.env")).ShouldBe(envBefore);

        var held = await Run("retire");
        held.ExitCode.ShouldBe(1, held.ToString());
        held.Out.ShouldContain("dualRun");
        held.Out.ShouldContain("approvals");
        File.ReadAllText(_dir.File("legacy/.env")).ShouldBe(envBefore);

        _time.Advance(TimeSpan.FromHours(72));
        (await Run("approve", "--all", "--by", "alice")).ExitCode.ShouldBe(0);
        var retire = await Run("retire");
        retire.ExitCode.ShouldBe(0, retire.ToString());

        var env = File.ReadAllText(_dir.File("legacy/.env"));
        env.ShouldNotContain("DB_PASSWORD");
        env.ShouldNotContain("STRIPE_");
        env.ShouldContain("# legacy environment for payments-api");
        env.ShouldContain("export DB_HOST=10.0.4.12");
        env.ShouldContain("LOG_LEVEL=info");
        TargetValue("payments/db", "password").ShouldBe("pg-Xq7#pL2w!vR9");

        var status = await Run("status", "--format", "json");
        var moves = JsonDocument.Parse(status.Out).RootElement.GetProperty("moves");
        moves.GetArrayLength().ShouldBe(3);
        foreach (var move in moves.EnumerateArray())
        {
            move.GetProperty("state").GetString().ShouldBe("retired");
            move.GetProperty("usage").GetString().ShouldBe("no usage evidence");
        }
        (await Run("status")).Out.ShouldContain("Usage: 3 move(s) have no telemetry source");
    }

    [Fact]
    public async Task Apply_Twice_IsIdempotent_SecondRunChangesNoFile()
    {
        Workspaces.Create(_dir, Workspaces.Config("{ dualRun: 0s, quietWindow: 0s, approvals: 0 }"));
        (await Run("apply")).ExitCode.ShouldBe(0);
        var after = _dir.Snapshot(".keyshift");
        var again = await Run("apply");
        again.ExitCode.ShouldBe(0, again.ToString());
        _dir.Snapshot(".keyshift").ShouldBe(after);
        (await Run("plan")).Out.ShouldContain("3 done");
    }

    [Fact]
    public async Task TargetHoldingForeignValue_IsAConflict_PlanAndApplyExit1AndChangeNothing()
    {
        Workspaces.Create(_dir);
        _dir.Write("governed/secrets.json", "{\n  \"payments\": { \"db\": { \"password\": \"someone-elses\" } }\n}\n");
        var before = _dir.Snapshot(".keyshift");
        var plan = await Run("plan");
        plan.ExitCode.ShouldBe(1, plan.ToString());
        plan.Out.ShouldContain("conflict");
        var apply = await Run("apply");
        apply.ExitCode.ShouldBe(1, apply.ToString());
        _dir.Snapshot(".keyshift").ShouldBe(before);
    }

    [Fact]
    public async Task OnConflictOverwrite_ReplacesTheValue_AndRollbackRestoresIt()
    {
        Workspaces.Create(_dir, Workspaces.Config(extra: "onConflict: overwrite"));
        _dir.Write("governed/secrets.json", "{\n  \"payments\": { \"db\": { \"password\": \"someone-elses\" } }\n}\n");
        var apply = await Run("apply", "--until", "cutover");
        apply.ExitCode.ShouldBe(0, apply.ToString());
        TargetValue("payments/db", "password").ShouldBe("pg-Xq7#pL2w!vR9");
        var rollback = await Run("rollback", "--all");
        rollback.ExitCode.ShouldBe(0, rollback.ToString());
        TargetValue("payments/db", "password").ShouldBe("someone-elses");
        TargetValue("payments/stripe", "STRIPE_SECRET_KEY").ShouldBeNull();
    }

    [Fact]
    public async Task Rollback_BeforeRetire_RemovesExactlyWhatKeyshiftWrote()
    {
        Workspaces.Create(_dir);
        _dir.Write("governed/secrets.json", "{\n  \"other\": { \"svc\": { \"token\": \"keep-me\" } }\n}\n");
        var original = File.ReadAllText(Governed);
        (await Run("apply", "--until", "cutover")).ExitCode.ShouldBe(0);
        var rollback = await Run("rollback", "--all");
        rollback.ExitCode.ShouldBe(0, rollback.ToString());
        File.ReadAllText(Governed).ShouldBe(original);
        (await Run("status", "--format", "json")).Out.ShouldContain("rolled-back");
        var again = await Run("apply", "--until", "cutover");
        again.ExitCode.ShouldBe(0, again.ToString());
        TargetValue("payments/db", "password").ShouldBe("pg-Xq7#pL2w!vR9");
    }

    [Fact]
    public async Task SourceChangedAfterStaging_PlanSaysUpdate_AndApplyStagesTheNewValue()
    {
        Workspaces.Create(_dir);
        (await Run("apply", "--until", "cutover")).ExitCode.ShouldBe(0);
        File.WriteAllText(_dir.File("legacy/.env"), File.ReadAllText(_dir.File("legacy/.env")).Replace("pg-Xq7#pL2w!vR9", "rotated-by-hand", StringComparison.Ordinal));
        var plan = await Run("plan");
        plan.Out.ShouldContain("1 to update");
        (await Run("drift")).ExitCode.ShouldBe(1);
        (await Run("apply", "--until", "cutover")).ExitCode.ShouldBe(0);
        TargetValue("payments/db", "password").ShouldBe("rotated-by-hand");
        (await Run("drift")).ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task Drift_ReportsValuePresenceAndPolicyDrift()
    {
        Workspaces.Create(_dir);
        (await Run("apply", "--until", "cutover")).ExitCode.ShouldBe(0);
        (await Run("drift")).ExitCode.ShouldBe(0);
        File.WriteAllText(Governed, File.ReadAllText(Governed).Replace("sk_test_4eC39HqLyjWDarjtT1zdp7dc", "tampered", StringComparison.Ordinal));
        File.WriteAllText(_dir.File("keyshift.yaml"), File.ReadAllText(_dir.File("keyshift.yaml")).Replace("rotation: 30d", "rotation: 90d", StringComparison.Ordinal));
        var drift = await Run("drift", "--format", "json");
        drift.ExitCode.ShouldBe(1, drift.ToString());
        var kinds = JsonDocument.Parse(drift.Out).RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("kind").GetString()).ToList();
        kinds.ShouldContain("value");
        kinds.ShouldContain("policy");
    }

    [Fact]
    public async Task SavedPlan_IsAppliedExactly_AndRefusedWhenTheSourceChanged()
    {
        Workspaces.Create(_dir);
        var planPath = _dir.File("plan.json");
        (await Run("plan", "--out", planPath)).ExitCode.ShouldBe(0);
        File.AppendAllText(_dir.File("legacy/.env"), "STRIPE_NEW_KEY=sk_test_added_after_plan\n");
        var before = _dir.Snapshot(".keyshift");
        var stale = await Run("apply", "--plan", planPath);
        stale.ExitCode.ShouldBe(2, stale.ToString());
        stale.Err.ShouldContain("plan");
        _dir.Snapshot(".keyshift").ShouldBe(before);

        (await Run("plan", "--out", planPath)).ExitCode.ShouldBe(0);
        var apply = await Run("apply", "--plan", planPath, "--until", "staged");
        apply.ExitCode.ShouldBe(0, apply.ToString());
        TargetValue("payments/stripe", "STRIPE_NEW_KEY").ShouldBe("sk_test_added_after_plan");
    }

    [Fact]
    public async Task ApplyWithoutUntil_GoesAsFarAsGatesAllow_AndNamesTheGate()
    {
        Workspaces.Create(_dir, Workspaces.Config("{ dualRun: 1h, quietWindow: 24h, approvals: 0 }"));
        var first = await Run("apply");
        first.ExitCode.ShouldBe(1, first.ToString());
        first.Out.ShouldContain("dualRun");
        _time.Advance(TimeSpan.FromMinutes(61));
        var second = await Run("apply");
        second.ExitCode.ShouldBe(0, second.ToString());
        File.ReadAllText(_dir.File("legacy/.env")).ShouldNotContain("DB_PASSWORD");
    }

    public void Dispose() => _dir.Dispose();
}
