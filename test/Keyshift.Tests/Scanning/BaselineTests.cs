using System.Text.Json;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Scanning;

/// <summary>A baseline suppresses by secret content, not position, and works from any clone with any workspace key.</summary>
public sealed class BaselineTests
{
    private const string Old = "API_KEY=9f2c41d755be4a5e9a7e3c1d0b8e6f42";
    private const string New = "API_KEY=4c1d0b8e6f429f2c41d755be4a5e9a7e";

    [Fact]
    public async Task SameSecretMovedToAnotherLine_StaysSuppressed()
    {
        using var dir = new TempDir();
        dir.Write("app/.env", Old + "\n");
        var baseline = dir.File("baseline.json");
        (await ScanCli.Run("scan", dir.File("app"), "--write-baseline", baseline)).Exit.ShouldBe(0);

        dir.Write("app/.env", "# moved\nREGION=eu\n\n" + Old + "\n");
        var (exit, output, _) = await ScanCli.Run("scan", dir.File("app"), "--baseline", baseline, "--format", "json");

        exit.ShouldBe(0);
        var summary = JsonDocument.Parse(output).RootElement.GetProperty("summary");
        summary.GetProperty("secrets").GetInt32().ShouldBe(0);
        summary.GetProperty("suppressedByBaseline").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task NewSecretOnOldLine_IsReported()
    {
        using var dir = new TempDir();
        dir.Write("app/.env", Old + "\n");
        var baseline = dir.File("baseline.json");
        await ScanCli.Run("scan", dir.File("app"), "--write-baseline", baseline);

        dir.Write("app/.env", New + "\n");
        var (exit, output, _) = await ScanCli.Run("scan", dir.File("app"), "--baseline", baseline, "--format", "json");

        exit.ShouldBe(1);
        var finding = JsonDocument.Parse(output).RootElement.GetProperty("findings").EnumerateArray().ShouldHaveSingleItem();
        finding.GetProperty("line").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task BaselineFromAnotherClone_WithADifferentWorkspaceKey_StillSuppresses()
    {
        using var first = new GitRepo();
        first.Write("keyshift.yaml", "version: 1\nname: a\n");
        first.Write("svc/.env", Old + "\n");
        first.Write(".gitignore", ".keyshift/\n");
        await ScanCli.Run("scan", first.Path, "-c", Path.Combine(first.Path, "keyshift.yaml"), "--write-baseline", Path.Combine(first.Path, "keyshift-baseline.json"));
        first.Commit("baseline");

        using var target = new TempDir();
        var clone = Path.Combine(target.Path, "clone");
        first.Git("clone", "-q", first.Path, clone);
        var (exit, output, _) = await ScanCli.Run("scan", clone, "-c", Path.Combine(clone, "keyshift.yaml"), "--baseline", Path.Combine(clone, "keyshift-baseline.json"), "--format", "json");

        File.ReadAllText(Path.Combine(clone, ".keyshift", "key")).ShouldNotBe(File.ReadAllText(Path.Combine(first.Path, ".keyshift", "key")));
        exit.ShouldBe(0);
        JsonDocument.Parse(output).RootElement.GetProperty("summary").GetProperty("suppressedByBaseline").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task BaselineFile_HoldsNoSecretAndASalt()
    {
        using var dir = new TempDir();
        dir.Write("app/.env", Old + "\n");
        var baseline = dir.File("baseline.json");
        await ScanCli.Run("scan", dir.File("app"), "--write-baseline", baseline);

        var text = File.ReadAllText(baseline);
        SecretCanary.AssertAbsent(text, "9f2c41d755be4a5e9a7e3c1d0b8e6f42");
        var root = JsonDocument.Parse(text).RootElement;
        root.GetProperty("salt").GetString()!.Length.ShouldBe(64);
        root.GetProperty("findings").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task MalformedBaseline_IsBadInput()
    {
        using var dir = new TempDir();
        dir.Write("app/.env", Old + "\n");
        var baseline = dir.Write("baseline.json", "{ \"version\": 1, \"salt\": \"zz\" }");
        var (exit, _, err) = await ScanCli.Run("scan", dir.File("app"), "--baseline", baseline);
        exit.ShouldBe(2);
        err.ShouldContain("salt");
    }
}
