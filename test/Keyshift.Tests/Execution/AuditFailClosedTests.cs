using Keyshift.Tests.Support;

namespace Keyshift.Tests.Execution;

/// <summary>If the audit entry cannot be written, the mutating step does not happen.</summary>
public sealed class AuditFailClosedTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task Apply_WhenTheAuditLogCannotBeWritten_ChangesNoStore_AndExits3()
    {
        var config = Workspaces.Create(_dir);
        (await CliRunner.RunAsync("plan", "-c", config, "--out", _dir.File("plan.json"))).ExitCode.ShouldBe(0);
        // A directory where the log file should be: no entry can be appended.
        Directory.CreateDirectory(_dir.File(".keyshift/audit.jsonl"));
        var before = _dir.Snapshot(".keyshift");

        var apply = await CliRunner.RunAsync("apply", "-c", config, "--until", "cutover");

        apply.ExitCode.ShouldBe(3, apply.ToString());
        apply.Err.ShouldContain("audit log");
        apply.Err.ShouldNotContain("   at ");
        _dir.Snapshot(".keyshift").ShouldBe(before);
        File.Exists(_dir.File("governed/secrets.json")).ShouldBeFalse();
    }

    [Fact]
    public async Task Apply_WhenTheAuditLogWasTamperedWith_RefusesToContinue()
    {
        var config = Workspaces.Create(_dir);
        (await CliRunner.RunAsync("apply", "-c", config, "--until", "staged")).ExitCode.ShouldBe(0);
        var log = _dir.File(".keyshift/audit.jsonl");
        var lines = File.ReadAllLines(log);
        File.WriteAllLines(log, lines[..^1]);
        var before = _dir.Snapshot(".keyshift");

        var apply = await CliRunner.RunAsync("apply", "-c", config, "--until", "cutover");

        apply.ExitCode.ShouldBe(3, apply.ToString());
        _dir.Snapshot(".keyshift").ShouldBe(before);
        (await CliRunner.RunAsync("audit", "verify", "-c", config)).ExitCode.ShouldBe(1);
    }

    public void Dispose() => _dir.Dispose();
}
