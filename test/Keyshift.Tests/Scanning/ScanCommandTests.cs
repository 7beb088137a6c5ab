using System.Text.Json;
using System.Xml.Linq;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Scanning;

/// <summary>The scan command end to end: exit codes, formats, .gitignore, and no value in any output.</summary>
public sealed class ScanCommandTests
{
    private const string Token = "ghp_jmsn9dLVIdVuddLEG62Hkd9Gf2leMeR3pzh8";
    private const string Password = "Tr0ub4dor&3zQ";

    [Fact]
    public async Task ReferencesAlone_ExitZero_SecretsExitOne()
    {
        using var dir = new TempDir();
        dir.Write("refs/.env", "DB_PASSWORD=${DB_PASSWORD}\n");
        (await ScanCli.Run("scan", dir.File("refs"))).Exit.ShouldBe(0);

        dir.Write("leak/.env", "DB_PASSWORD=" + Password + "\n");
        (await ScanCli.Run("scan", dir.File("leak"))).Exit.ShouldBe(1);
    }

    [Theory]
    [InlineData("table")]
    [InlineData("json")]
    [InlineData("sarif")]
    [InlineData("junit")]
    public async Task NoOutputFormat_ContainsTheSecret(string format)
    {
        using var dir = new TempDir();
        dir.Write(".env", $"GITHUB_TOKEN={Token}\nDB_PASSWORD={Password}\nDATABASE_URL=postgres://app:{Password}@db/app\n");

        var (exit, output, err) = await ScanCli.Run("scan", dir.Path, "--format", format);

        exit.ShouldBe(1);
        SecretCanary.AssertAbsent(output + err, Token);
        SecretCanary.AssertAbsent(output + err, Password);
    }

    [Fact]
    public async Task Table_ShowsRuleKindLocationFingerprintAndMask()
    {
        using var dir = new TempDir();
        dir.Write(".env", $"GITHUB_TOKEN={Token}\nAPI=${{API_TOKEN}}\n");

        var (_, output, _) = await ScanCli.Run("scan", dir.Path);

        output.ShouldContain("github-token");
        output.ShouldContain("ghp_…(40)");
        output.ShouldContain(".env:1:14");
        output.ShouldContain("API_TOKEN");
        output.ShouldContain("1 secret(s), 1 reference(s)");
    }

    [Fact]
    public async Task Junit_HasOneFailingTestCasePerSecret()
    {
        using var dir = new TempDir();
        dir.Write(".env", $"GITHUB_TOKEN={Token}\nAPI=${{API_TOKEN}}\n");

        var (_, output, _) = await ScanCli.Run("scan", dir.Path, "--format", "junit");

        var cases = XDocument.Parse(output).Descendants("testcase").ToList();
        cases.Count.ShouldBe(2);
        cases.Count(c => c.Element("failure") is not null).ShouldBe(1);
    }

    [Fact]
    public async Task GitignoredFiles_AreSkipped_UnlessNoGitignore()
    {
        using var repo = new GitRepo();
        repo.Write(".gitignore", "secrets.local.env\n");
        repo.Write("secrets.local.env", $"GITHUB_TOKEN={Token}\n");
        repo.Write("tracked.env", "REGION=eu\n");
        repo.Commit("start");

        (await ScanCli.Run("scan", repo.Path)).Exit.ShouldBe(0);
        var (exit, output, _) = await ScanCli.Run("scan", repo.Path, "--no-gitignore", "--format", "json");
        exit.ShouldBe(1);
        JsonDocument.Parse(output).RootElement.GetProperty("findings")[0].GetProperty("path").GetString()!.ShouldEndWith("secrets.local.env");
    }

    [Fact]
    public async Task UntrackedButNotIgnoredFiles_AreScannedInARepository()
    {
        using var repo = new GitRepo();
        repo.Write("tracked.env", "REGION=eu\n");
        repo.Commit("start");
        repo.Write("new/untracked.env", $"GITHUB_TOKEN={Token}\n");

        (await ScanCli.Run("scan", repo.Path)).Exit.ShouldBe(1);
    }

    [Fact]
    public async Task HistoryAndStagedTogether_IsBadInput()
    {
        using var repo = new GitRepo();
        (await ScanCli.Run("scan", repo.Path, "--history", "--staged")).Exit.ShouldBe(2);
    }
}
