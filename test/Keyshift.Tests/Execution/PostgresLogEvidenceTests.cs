using Keyshift.Tests.Issuers;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Execution;

/// <summary>
/// The PostgreSQL connection log (log_connections, the file test/servers.sh writes) as retirement evidence: a consumer's
/// short-lived connection with the old role — gone before any sampler could see it — is read from the log by retire's
/// own round and holds retirement back, naming the log source and line details and never a value.
/// </summary>
public sealed class PostgresLogEvidenceTests : IDisposable
{
    private readonly TempDir _dir = new();

    // The log's lines carry the server's real time: the fake clock starts at the real now and is moved by hand.
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());

    [Fact]
    public async Task Retire_WhenTheLogShowsTheOldRolesConnection_RefusesNamingTheLogLine_ThenRetiresOnceQuiet()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir, cutover: "{ dualRun: 0s, quietWindow: 3s, approvals: 0 }", issuerExtra: $", log: {TestServers.PgLog}");
        var outputs = new List<CliRunner.Result>();
        async Task<CliRunner.Result> Run(params string[] args)
        {
            var result = await CliRunner.RunAsync(_time, [.. args, "-c", rotation.Config]);
            outputs.Add(result);
            return result;
        }
        var apply = await Run("apply", "--until", "cutover");
        apply.ExitCode.ShouldBe(0, apply.ToString());

        // Connect, query, disconnect: no sample of pg_stat_activity will ever see this session; only the log does.
        await using (var consumer = await PostgresRotation.ConnectAsync(rotation.Account, rotation.Password))
            await consumer.CloseAsync();
        var held = await Run("retire");
        held.ExitCode.ShouldBe(1, held.ToString());
        held.Out.ShouldContain($"old credential `{rotation.Account}` used at");
        held.Out.ShouldContain("from db/postgres-log (database=postgres pid=");
        (await PostgresRotation.LoginAsync(rotation.Account, rotation.Password)).ShouldBeNull("a refused retirement revokes nothing");

        // Well past the 3 s window even measured by the real clock the log lines use (this test's own steps take seconds).
        _time.Advance(TimeSpan.FromMinutes(1));
        var retire = await Run("retire");
        retire.ExitCode.ShouldBe(0, retire.ToString());
        (await PostgresRotation.LoginAsync(rotation.Account, rotation.Password)).ShouldNotBeNull("the old role is refused");
        foreach (var output in outputs)
            Canary.FindIn(output.All, "output", [rotation.Password, rotation.Target("password") ?? "unset"]).ShouldBeEmpty();
    }

    public void Dispose() => _dir.Dispose();
}
