using System.Text.Json;
using Keyshift.Audit;
using Keyshift.Cli;

namespace Keyshift.Tests.Audit;

public sealed class AuditCommandTests
{
    [Fact]
    public async Task Verify_IntactLog_ExitsZero()
    {
        using var f = new AuditFixture();
        using (var db = f.State())
            f.Seed(5, db);

        var (code, output, _) = await Run("audit", "verify", "-c", f.ConfigPath);

        code.ShouldBe(0);
        output.ShouldContain("intact, 5 entries");
        output.ShouldContain("state.db head: 5 entries, matches");
    }

    [Fact]
    public async Task Verify_EditedLine_ExitsOneNamingTheLine()
    {
        using var f = new AuditFixture();
        var lines = f.Seed(5);
        lines[2] = lines[2].Replace("KEY_3", "KEY_4");
        f.WriteLines(lines);

        var (code, output, _) = await Run("audit", "verify", "-c", f.ConfigPath);

        code.ShouldBe(1);
        output.ShouldContain("TAMPERED, 1 problem(s) in 5 lines");
        output.ShouldContain("  3        edited          entry 3: its MAC does not match its content: the line was edited");
    }

    [Fact]
    public async Task Verify_JsonFormat_ListsTheProblemsByLine()
    {
        using var f = new AuditFixture();
        var lines = f.Seed(6).ToList();
        lines.RemoveAt(3);
        f.WriteLines(lines);

        var (code, output, _) = await Run("audit", "verify", "-c", f.ConfigPath, "--format", "json");

        code.ShouldBe(1);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("intact").GetBoolean().ShouldBeFalse();
        var problem = json.RootElement.GetProperty("problems")[0];
        problem.GetProperty("line").GetInt64().ShouldBe(4);
        problem.GetProperty("kind").GetString().ShouldBe("deleted");
    }

    [Fact]
    public async Task Verify_MissingConfig_ExitsTwoNamingIt()
    {
        using var f = new AuditFixture();
        var missing = Path.Combine(f.Dir, "nope.yaml");

        var (code, _, error) = await Run("audit", "verify", "-c", missing);

        code.ShouldBe(2);
        error.ShouldContain($"error: --config: {missing} does not exist");
    }

    [Fact]
    public async Task Verify_LogWithoutItsKey_ExitsTwoNamingTheKey()
    {
        using var f = new AuditFixture();
        f.Seed(2);
        File.Delete(f.Workspace.KeyPath);

        var (code, _, error) = await Run("audit", "verify", "-c", f.ConfigPath);

        code.ShouldBe(2);
        error.ShouldContain(f.Workspace.KeyPath);
        File.Exists(f.Workspace.KeyPath).ShouldBeFalse();
    }

    [Fact]
    public async Task Verify_MalformedCheckpoint_ExitsTwoNamingTheFile()
    {
        using var f = new AuditFixture();
        var checkpoint = Path.Combine(f.Dir, "checkpoint.json");
        await File.WriteAllTextAsync(checkpoint, "{\"count\":3}", TestContext.Current.CancellationToken);

        var (code, _, error) = await Run("audit", "verify", "-c", f.ConfigPath, "--checkpoint", checkpoint);

        code.ShouldBe(2);
        error.ShouldContain($"{checkpoint}:1: checkpoint: headMac");
    }

    [Fact]
    public async Task ExportedCheckpoint_CatchesTruncationEvenWhenStateWasRolledBack()
    {
        using var f = new AuditFixture();
        using (var db = f.State())
            f.Seed(10, db);
        var checkpoint = Path.Combine(f.Dir, "outside", "checkpoint.json");
        (await Run("audit", "export", "-c", f.ConfigPath, "--format", "checkpoint", "--out", checkpoint)).Code.ShouldBe(0);

        f.WriteLines(f.Lines()[..7]);
        File.Delete(f.Workspace.StatePath);
        (await Run("audit", "verify", "-c", f.ConfigPath)).Code.ShouldBe(0);

        var (code, output, _) = await Run("audit", "verify", "-c", f.ConfigPath, "--checkpoint", checkpoint);

        code.ShouldBe(1);
        output.ShouldContain("8        truncated       the checkpoint records 10 entries");
    }

    [Fact]
    public async Task Export_Jsonl_IsTheLogByteForByteThenTheCheckpoint_AndVerifiesAsACheckpoint()
    {
        using var f = new AuditFixture();
        f.Seed(4);
        var export = Path.Combine(f.Dir, "audit-export.jsonl");

        (await Run("audit", "export", "-c", f.ConfigPath, "--format", "jsonl", "--out", export)).Code.ShouldBe(0);

        var lines = await File.ReadAllLinesAsync(export, TestContext.Current.CancellationToken);
        lines[..4].ShouldBe(f.Lines());
        using var last = JsonDocument.Parse(lines[4]);
        last.RootElement.GetProperty("checkpoint").GetProperty("count").GetInt64().ShouldBe(4);
        (await Run("audit", "verify", "-c", f.ConfigPath, "--checkpoint", export)).Code.ShouldBe(0);
    }

    [Fact]
    public async Task Export_Json_HoldsEveryEntryAndTheCheckpoint()
    {
        using var f = new AuditFixture();
        f.Seed(3);

        var (code, output, _) = await Run("audit", "export", "-c", f.ConfigPath);

        code.ShouldBe(0);
        using var json = JsonDocument.Parse(output);
        var entries = json.RootElement.GetProperty("entries");
        entries.GetArrayLength().ShouldBe(3);
        entries[2].GetProperty("move").GetString().ShouldBe("legacy:KEY_3");
        json.RootElement.GetProperty("checkpoint").GetProperty("headMac").GetString().ShouldBe(entries[2].GetProperty("mac").GetString());
    }

    [Fact]
    public async Task Export_TamperedLog_ExitsOneAndWritesNothing()
    {
        using var f = new AuditFixture();
        var lines = f.Seed(3);
        (lines[0], lines[1]) = (lines[1], lines[0]);
        f.WriteLines(lines);
        var export = Path.Combine(f.Dir, "export.json");

        var (code, output, error) = await Run("audit", "export", "-c", f.ConfigPath, "--out", export);

        code.ShouldBe(1);
        output.ShouldBeEmpty();
        error.ShouldContain("Nothing was exported");
        File.Exists(export).ShouldBeFalse();
    }

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await KeyshiftCommand.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
