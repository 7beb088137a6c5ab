using Keyshift.Tests.Support;

namespace Keyshift.Tests.Execution;

/// <summary>
/// A credential move retires only with a negative probe to prove the old credential refused — unless its config opts
/// out in so many words (<c>probes: []</c> or <c>requireProbe: false</c>). Against the real PostgreSQL of test/servers.sh.
/// </summary>
public sealed class ProbeGateTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new();

    private Task<CliRunner.Result> Run(PostgresRotation rotation, params string[] args) => CliRunner.RunAsync(_time, [.. args, "-c", rotation.Config]);

    [Fact]
    public async Task Retire_WithoutProbes_IsHeldByTheProbeGate_AndRevokesNothing()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir, cutover: "{ dualRun: 0s, quietWindow: 0s, approvals: 0 }", probes: null);
        (await Run(rotation, "apply", "--until", "cutover")).ExitCode.ShouldBe(0);
        var retire = await Run(rotation, "retire");
        retire.ExitCode.ShouldBe(1, retire.ToString());
        retire.Out.ShouldContain("probe: no probe configured");
        retire.Out.ShouldContain("probes: []");
        (await PostgresRotation.LoginAsync(rotation.Account, rotation.Password)).ShouldBeNull("nothing was revoked");
        var status = await Run(rotation, "status");
        status.Out.ShouldContain("no probe configured");
        // A credential move's quiet window rests on its issuer's telemetry: status must not call it unobserved.
        status.Out.ShouldNotContain("no telemetry source");
        (await Run(rotation, "status", "--format", "json")).Out.ShouldContain("telemetry of issuer");
    }

    [Theory]
    [InlineData("[]", null)]
    [InlineData(null, "false")]
    public async Task Retire_WithoutProbes_WhenTheConfigSaysSo_Retires(string? probes, string? requireProbe)
    {
        var rotation = await PostgresRotation.CreateAsync(_dir, cutover: "{ dualRun: 0s, quietWindow: 0s, approvals: 0 }", probes: probes);
        if (requireProbe is not null)
            File.WriteAllText(rotation.Config, File.ReadAllText(rotation.Config).Replace("# no probes", "requireProbe: " + requireProbe, StringComparison.Ordinal));
        (await Run(rotation, "apply", "--until", "cutover")).ExitCode.ShouldBe(0);
        var retire = await Run(rotation, "retire");
        retire.ExitCode.ShouldBe(0, retire.ToString());
        (await PostgresRotation.LoginAsync(rotation.Account, rotation.Password)).ShouldNotBeNull("the old role is revoked");
    }

    public void Dispose() => _dir.Dispose();
}
