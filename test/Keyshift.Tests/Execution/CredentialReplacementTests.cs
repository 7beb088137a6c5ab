using Keyshift.Tests.Support;
using Npgsql;

namespace Keyshift.Tests.Execution;

/// <summary>
/// Credential replacement end to end through the CLI against the real PostgreSQL of test/servers.sh: the clock is
/// fake (the quiet window passes by hand), the server, roles, sessions and probes are real.
/// </summary>
public sealed class CredentialReplacementTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddYears(56));
    private readonly List<CliRunner.Result> _outputs = [];

    private async Task<CliRunner.Result> Run(PostgresRotation rotation, params string[] args)
    {
        var result = await CliRunner.RunAsync(_time, [.. args, "-c", rotation.Config]);
        _outputs.Add(result);
        return result;
    }

    [Fact]
    public async Task Retire_WhileOldCredentialStillUsed_RefusesWithEvidence_ThenRevokesOnceQuiet()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir);
        await using (var consumer = await PostgresRotation.ConnectAsync(rotation.Account, rotation.Password))
        {
            var apply = await Run(rotation, "apply", "--until", "cutover");
            apply.ExitCode.ShouldBe(0, apply.ToString());
            var user = rotation.Target("username").ShouldNotBeNull();
            var password = rotation.Target("password").ShouldNotBeNull();
            user.ShouldStartWith(rotation.Account + "_ks_");
            (await PostgresRotation.LoginAsync(user, password)).ShouldBeNull();
            (await PostgresRotation.LoginAsync(rotation.Account, rotation.Password)).ShouldBeNull("dual-run: the old credential still works");

            (await Run(rotation, "watch", "--once", "--interval", "1s")).ExitCode.ShouldBe(0);
            var held = await Run(rotation, "retire");
            held.ExitCode.ShouldBe(1, held.ToString());
            held.Out.ShouldContain($"old credential `{rotation.Account}` used at");
            held.Out.ShouldContain("db/pg_stat_activity");
            (await PostgresRotation.LoginAsync(rotation.Account, rotation.Password)).ShouldBeNull("a refused retirement revokes nothing");

            var usage = await Run(rotation, "usage", "--format", "json");
            usage.ExitCode.ShouldBe(0, usage.ToString());
            usage.Out.ShouldContain(rotation.Account);
            usage.Out.ShouldContain("db/pg_stat_activity");
        }

        // The consumer switched to the new credential; the sampler keeps watching through the quiet window.
        await using var switched = await PostgresRotation.ConnectAsync(rotation.Target("username")!, rotation.Target("password")!);
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            (await Run(rotation, "watch", "--once", "--interval", "1s")).ExitCode.ShouldBe(0);
        }
        var retire = await Run(rotation, "retire");
        retire.ExitCode.ShouldBe(0, retire.ToString());

        (await PostgresRotation.LoginAsync(rotation.Account, rotation.Password)).ShouldNotBeNull("the old credential is refused by the server");
        (await PostgresRotation.LoginAsync(rotation.Target("username")!, rotation.Target("password")!)).ShouldBeNull("the new one works");
        File.ReadAllText(_dir.File("legacy/.env")).ShouldNotContain("DB_PASSWORD");
        var audit = File.ReadAllText(_dir.File(".keyshift/audit.jsonl"));
        audit.ShouldContain("refused");
        (await Run(rotation, "audit", "verify")).ExitCode.ShouldBe(0);
        NoSecretLeaked(rotation, rotation.Target("password")!);
    }

    [Fact]
    public async Task Retire_WhenNegativeProbeCannotReachTheServer_FailsPartWay_ThenResumes()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir, cutover: "{ dualRun: 0s, quietWindow: 0s, approvals: 0 }");
        (await Run(rotation, "apply", "--until", "cutover")).ExitCode.ShouldBe(0);
        var good = File.ReadAllText(rotation.Config);
        File.WriteAllText(rotation.Config, good.Replace("probes: [{ type: postgres }]", "probes: [{ type: postgres, port: 1, timeout: 2s }]", StringComparison.Ordinal));

        var unreachable = await Run(rotation, "retire");
        unreachable.ExitCode.ShouldBe(3, unreachable.ToString());
        unreachable.Out.ShouldContain("no evidence that the old credential is refused");
        File.ReadAllText(_dir.File("legacy/.env")).ShouldContain("DB_PASSWORD", customMessage: "the step is not finished: the source stays");

        File.WriteAllText(rotation.Config, good);
        var resumed = await Run(rotation, "retire");
        resumed.ExitCode.ShouldBe(0, resumed.ToString());
        (await PostgresRotation.LoginAsync(rotation.Account, rotation.Password)).ShouldNotBeNull();
        (await PostgresRotation.LoginAsync(rotation.Target("username")!, rotation.Target("password")!)).ShouldBeNull();
        File.ReadAllText(_dir.File("legacy/.env")).ShouldNotContain("DB_PASSWORD");
    }

    [Fact]
    public async Task WatchProcess_SharesTheStateDatabase_WhileRetireReadsItsEvidence()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir, cutover: "{ dualRun: 0s, quietWindow: 1h, approvals: 0 }");
        (await CliRunner.RunAsync("apply", "--until", "cutover", "-c", rotation.Config)).ExitCode.ShouldBe(0);
        await using var consumer = await PostgresRotation.ConnectAsync(rotation.Account, rotation.Password);
        using var watch = CliProcess.Start("watch", "-c", rotation.Config, "--interval", "1s");
        try
        {
            // Wait for the condition itself: the watch process has recorded the consumer's session.
            CliRunner.Result usage = default!;
            for (var i = 0; i < 120; i++)
            {
                usage = await CliRunner.RunAsync("usage", "-c", rotation.Config, "--format", "json");
                if (usage.Out.Contains("pg_stat_activity", StringComparison.Ordinal))
                    break;
                await Task.Delay(250, Ct);
            }
            usage.Out.ShouldContain("pg_stat_activity", customMessage: usage.ToString());
            var held = await CliRunner.RunAsync("retire", "-c", rotation.Config);
            held.ExitCode.ShouldBe(1, held.ToString());
            held.Out.ShouldContain($"old credential `{rotation.Account}` used at");
            watch.HasExited.ShouldBeFalse();
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync(Ct);
        }
    }

    [Fact]
    public async Task Retire_WithoutAnySampling_RefusesForNoCoverage()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir, cutover: "{ dualRun: 0s, quietWindow: 1h, approvals: 0 }");
        (await Run(rotation, "apply", "--until", "cutover")).ExitCode.ShouldBe(0);
        var held = await Run(rotation, "retire");
        held.ExitCode.ShouldBe(1, held.ToString());
        held.Out.ShouldContain("no coverage");
        (await PostgresRotation.LoginAsync(rotation.Account, rotation.Password)).ShouldBeNull();
    }

    [Fact]
    public async Task Rollback_BeforeRetirement_RevokesTheNewCredential_AndEmptiesTheTarget()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir);
        (await Run(rotation, "apply", "--until", "cutover")).ExitCode.ShouldBe(0);
        var (user, password) = (rotation.Target("username")!, rotation.Target("password")!);

        var rollback = await Run(rotation, "rollback", "--all");
        rollback.ExitCode.ShouldBe(0, rollback.ToString());
        (await PostgresRotation.LoginAsync(user, password)).ShouldNotBeNull("the new credential is revoked");
        (await PostgresRotation.LoginAsync(rotation.Account, rotation.Password)).ShouldBeNull("the old one keeps working");
        rotation.Target("password").ShouldBeNull();
        NoSecretLeaked(rotation, password);
    }

    [Fact]
    public async Task Apply_Twice_IssuesExactlyOneNewRole()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir);
        (await Run(rotation, "apply", "--until", "cutover")).ExitCode.ShouldBe(0);
        (await Run(rotation, "apply", "--until", "cutover")).ExitCode.ShouldBe(0);
        (await rotation.RolesAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Apply_WithUnknownAccount_IsBadInput_AndChangesNothing()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir);
        File.WriteAllText(rotation.Config, File.ReadAllText(rotation.Config).Replace($"account: {rotation.Account}", "account: no_such_role_here", StringComparison.Ordinal));
        var apply = await Run(rotation, "apply");
        apply.ExitCode.ShouldBe(2, apply.ToString());
        apply.Err.ShouldContain("issuer 'db' (postgres): prepare: role 'no_such_role_here' does not exist");
        File.Exists(_dir.File("governed/secrets.json")).ShouldBeFalse();
    }

    [Fact]
    public async Task Config_CredentialMoveWithoutAccount_NamesFileLineAndField()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir);
        File.WriteAllText(rotation.Config, File.ReadAllText(rotation.Config).Replace($"    account: {rotation.Account}\n", "", StringComparison.Ordinal));
        var plan = await Run(rotation, "plan");
        plan.ExitCode.ShouldBe(2, plan.ToString());
        plan.Err.ShouldContain("keyshift.yaml:10:5:");
        plan.Err.ShouldContain("moves[0].account: is required");
    }

    private void NoSecretLeaked(PostgresRotation rotation, string newPassword)
    {
        string[] canaries = [rotation.Password, newPassword];
        var leaks = _outputs.SelectMany(o => Canary.FindIn(o.All, "output", canaries)).ToList();
        foreach (var file in Directory.GetFiles(_dir.File(".keyshift")))
            leaks.AddRange(Canary.FindIn(File.ReadAllBytes(file), Path.GetFileName(file), canaries));
        leaks.ShouldBeEmpty();
    }

    public void Dispose() => _dir.Dispose();
}
