using Keyshift.Tests.Support;

namespace Keyshift.Tests.Execution;

/// <summary>Locked files and a second changing command: a clear error, exit 2, and every store as it was.</summary>
public sealed class LockedWorkspaceTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    private Task<CliRunner.Result> Run(params string[] args) => CliRunner.RunAsync(_time, [.. args, "-c", _dir.File("keyshift.yaml")]);

    private static FileStream Hold(string path) =>
        new(path, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None });

    [Fact]
    public async Task Apply_WhileAnotherChangingCommandHoldsTheWorkspace_Exit2AndChangesNothing()
    {
        Workspaces.Create(_dir, Workspaces.Config("{ dualRun: 0s, quietWindow: 0s, approvals: 0 }"));
        (await Run("apply", "--until", "staged")).ExitCode.ShouldBe(0);
        var before = _dir.Snapshot(".keyshift");
        var audit = File.ReadAllText(_dir.File(".keyshift/audit.jsonl"));
        using (Hold(_dir.File(".keyshift/lock")))
        {
            var result = await Run("apply");
            result.ExitCode.ShouldBe(2, result.ToString());
            result.Err.ShouldContain("another keyshift command");
            (await Run("retire", "--all")).ExitCode.ShouldBe(2);
            (await Run("rollback", "--all")).ExitCode.ShouldBe(2);
            _dir.Snapshot(".keyshift").ShouldBe(before);
            File.ReadAllText(_dir.File(".keyshift/audit.jsonl")).ShouldBe(audit);
        }
        // Released: the same command now runs to the end.
        (await Run("apply")).ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task Apply_WhileTheSourceFileIsLockedByAnotherProgram_Exit2NamingStoreAndFile_AndChangesNothing()
    {
        Workspaces.Create(_dir);
        var before = _dir.Snapshot(".keyshift");
        var source = Directory.GetFiles(_dir.Path, ".env", SearchOption.AllDirectories).ShouldHaveSingleItem();
        using (Hold(source))
        {
            var result = await Run("apply");
            result.ExitCode.ShouldBe(2, result.ToString());
            result.Err.ShouldContain("cannot read");
            result.Err.ShouldContain(Path.GetFileName(source));
        }
        _dir.Snapshot(".keyshift").ShouldBe(before);
    }

    [Fact]
    public async Task ReadOnlyCommands_RunWhileTheWorkspaceIsBeingChanged()
    {
        Workspaces.Create(_dir, Workspaces.Config("{ dualRun: 0s, quietWindow: 0s, approvals: 0 }"));
        (await Run("apply", "--until", "verified")).ExitCode.ShouldBe(0);
        using var held = Hold(_dir.File(".keyshift/lock"));
        (await Run("status")).ExitCode.ShouldBe(0);
        (await Run("plan")).ExitCode.ShouldBe(0);
        (await Run("apply", "--dry-run")).ExitCode.ShouldBe(0);
    }
}
