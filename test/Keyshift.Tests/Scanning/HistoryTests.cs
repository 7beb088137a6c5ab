using System.Text.Json;
using Keyshift.Scanning;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Scanning;

/// <summary>History and staged scans on real repositories made with the git command.</summary>
public sealed class HistoryTests
{
    private const string Token = "ghp_jmsn9dLVIdVuddLEG62Hkd9Gf2leMeR3pzh8";

    [Fact]
    public void SecretAddedThenRemoved_IsFoundInHistory_WithTheCommitThatAddedIt()
    {
        using var repo = new GitRepo();
        repo.Write("README.md", "# payments\n");
        repo.Commit("start");
        repo.Write("config/.env", "REGION=eu-west-1\nGITHUB_TOKEN=" + Token + "\n");
        var added = repo.Commit("add token");
        repo.Write("config/.env", "REGION=eu-west-1\nGITHUB_TOKEN=${GITHUB_TOKEN}\n");
        repo.Commit("remove token");

        new Scanner(new ScanOptions()).ScanFiles([repo.Path]).ToList().ShouldNotContain(f => f.Kind == FindingKind.Secret);
        var history = new Scanner(new ScanOptions()).ScanHistory(repo.Path).ToList();

        var secret = history.Where(f => f.Kind == FindingKind.Secret).ShouldHaveSingleItem();
        secret.RuleId.ShouldBe("github-token");
        secret.Location.ShouldBe(new FindingLocation("config/.env", 2, 14, added));
        history.ShouldContain(f => f.Kind == FindingKind.Reference && f.ReferenceName == "GITHUB_TOKEN");
    }

    [Fact]
    public void ReferenceReaddedByEveryCommit_IsReportedOnce_WithTheNewestCommitAndItsCount()
    {
        using var repo = new GitRepo();
        string? newest = null;
        for (var i = 0; i < 5; i++)
        {
            repo.Write("deploy/app.yaml", $"image: registry.internal/app:1.{i}\nurl: https://db{i}.internal/?user=${{DB_USER}}\n");
            newest = repo.Commit($"release {i}");
        }

        var found = new Scanner(new ScanOptions()).ScanHistory(repo.Path).ToList();

        var reference = found.ShouldHaveSingleItem();
        reference.ReferenceName.ShouldBe("DB_USER");
        reference.Occurrences.ShouldBe(5);
        reference.Location.ShouldBe(new FindingLocation("deploy/app.yaml", 2, 33, newest));
    }

    [Fact]
    public void HistoryInSmallBatches_FindsWhatOneBatchFinds_InTheSameOrder()
    {
        using var repo = new GitRepo();
        for (var i = 0; i < 7; i++)
        {
            repo.Write($"svc{i % 3}.env", $"REV={i}\nTOKEN_{i}=ghp_jmsn9dLVIdVuddLEG62Hkd9Gf2leMeR3p{i:D3}\nURL=https://h{i}/?k=${{KEY_{i % 2}}}\n");
            repo.Commit($"rev {i}");
        }
        var key = Keyshift.Secrets.FingerprintKey.CreateRandom();

        var whole = new Scanner(new ScanOptions { FingerprintKey = key }).ScanHistory(repo.Path).ToList();
        var batched = new Scanner(new ScanOptions { FingerprintKey = key, HistoryBatch = 2 }).ScanHistory(repo.Path).ToList();

        whole.Count(f => f.Kind == FindingKind.Secret).ShouldBe(7);
        whole.Where(f => f.Kind == FindingKind.Reference).Sum(f => f.Occurrences).ShouldBe(7);
        batched.ShouldBe(whole);
    }

    [Fact]
    public void HistoryOnOtherBranch_IsScannedToo()
    {
        using var repo = new GitRepo();
        repo.Write("a.txt", "hello\n");
        repo.Commit("start");
        repo.Git("checkout", "-q", "-b", "feature");
        repo.Write("b.yaml", "line1\nline2\nstripe: sk_live_OrXXHFOprCeTsprvu5Ifijoy\n");
        var commit = repo.Commit("feature work");
        repo.Git("checkout", "-q", "main");

        var found = new Scanner(new ScanOptions()).ScanHistory(repo.Path).ToList().ShouldHaveSingleItem();
        found.Location.ShouldBe(new FindingLocation("b.yaml", 3, 9, commit));
    }

    [Fact]
    public void PrivateKeyAcrossLines_IsFoundInHistory()
    {
        using var repo = new GitRepo();
        repo.Write("deploy/key.pem", "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIH5hMaY9vDu6YN0iWiHs7l4aZed8bkVmB0P1mpfja5u8oAoGCCqGSM49\nAwEHoUQDQgAENnP4gMAkELsFiDasA6mDRWcXOng87rgHIj63cRfOVblc0AHSb9yH\nO5YBEzNdCDBErurvQznRrqcmeBxcQeaDWA==\n-----END EC PRIVATE KEY-----\n");
        repo.Commit("key");

        var found = new Scanner(new ScanOptions()).ScanHistory(repo.Path).ToList().ShouldHaveSingleItem();
        found.RuleId.ShouldBe("private-key");
        found.Location.Line.ShouldBe(1);
    }

    [Fact]
    public void Staged_ScansOnlyWhatTheNextCommitAdds()
    {
        using var repo = new GitRepo();
        repo.Write("old.env", "API_KEY=9f2c41d755be4a5e9a7e3c1d0b8e6f42\n");
        repo.Commit("old secret");
        repo.Write("new.env", "X=1\nGITHUB_TOKEN=" + Token + "\n");
        repo.Git("add", "new.env");
        repo.Write("unstaged.env", "STRIPE=sk_live_OrXXHFOprCeTsprvu5Ifijoy\n");

        var found = new Scanner(new ScanOptions()).ScanStaged(repo.Path).ToList().ShouldHaveSingleItem();
        found.Location.ShouldBe(new FindingLocation("new.env", 2, 14));
    }

    [Fact]
    public async Task History_OnFolderThatIsNotARepository_IsBadInput()
    {
        using var dir = new TempDir();
        var (exit, _, err) = await ScanCli.Run("scan", dir.Path, "--history");
        exit.ShouldBe(2);
        err.ShouldContain("not a git repository");
    }

    [Fact]
    public async Task History_ThroughTheCli_ReportsCommitInJson()
    {
        using var repo = new GitRepo();
        repo.Write("app.env", "GITHUB_TOKEN=" + Token + "\n");
        var commit = repo.Commit("oops");
        repo.Write("app.env", "GITHUB_TOKEN=\n");
        repo.Commit("fix");

        var (exit, output, _) = await ScanCli.Run("scan", repo.Path, "--history", "--format", "json");

        exit.ShouldBe(1);
        var finding = JsonDocument.Parse(output).RootElement.GetProperty("findings")[0];
        finding.GetProperty("commit").GetString().ShouldBe(commit);
        finding.GetProperty("path").GetString().ShouldBe("app.env");
        output.ShouldNotContain(Token);
    }
}
