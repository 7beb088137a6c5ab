using System.Diagnostics;
using Keyshift.Scanning;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Scanning;

/// <summary>Folders outside a git work tree: .gitignore files apply as git would apply them; pipes, sockets and devices are skipped.</summary>
public sealed class GitignoreWalkTests
{
    private const string Token = "ghp_jmsn9dLVIdVuddLEG62Hkd9Gf2leMeR3pzh8";

    [Fact]
    public void NestedGitignores_NegationsAndFolderPatterns_AreHonoured()
    {
        using var dir = new TempDir();
        dir.Write(".gitignore", "# build output\n*.log\n!keep.log\nbuild/\n/root-only.env\ndocs/**/draft*\n\n");
        dir.Write("sub/.gitignore", "!debug.log\nlocal.env\n");
        string[] kept = ["keep.log", "local.env", "sub/debug.log", "sub/root-only.env", "docs/final.md", "tools/build", "app.env"];
        string[] ignored = ["a.log", "sub/trace.log", "build/out.env", "sub/build/out.env", "sub/local.env", "root-only.env", "docs/a/b/draft1.md", "docs/draft2.md"];
        foreach (var path in kept.Concat(ignored))
            dir.Write(path, $"GITHUB_TOKEN={Token}\n");

        Scanned(dir, new ScanOptions()).ShouldBe(kept.Order(StringComparer.Ordinal), ignoreOrder: true);
    }

    [Fact]
    public void FileInsideAnIgnoredFolder_CannotBeReincluded()
    {
        using var dir = new TempDir();
        dir.Write(".gitignore", "logs/\n!logs/keep.env\n");
        dir.Write("logs/keep.env", $"GITHUB_TOKEN={Token}\n");
        dir.Write("app.env", $"GITHUB_TOKEN={Token}\n");

        Scanned(dir, new ScanOptions()).ShouldBe(["app.env"]);
    }

    [Fact]
    public void NoGitignore_ScansIgnoredFilesToo()
    {
        using var dir = new TempDir();
        dir.Write(".gitignore", "*.env\n");
        dir.Write("app.env", $"GITHUB_TOKEN={Token}\n");

        Scanned(dir, new ScanOptions()).ShouldBeEmpty();
        Scanned(dir, new ScanOptions { RespectGitignore = false }).ShouldBe(["app.env"]);
    }

    [Fact]
    public async Task NamedPipe_IsSkippedWithANote_AndTheScanGoesOn()
    {
        using var dir = new TempDir();
        dir.Write("app.env", $"GITHUB_TOKEN={Token}\n");
        using (var mkfifo = Process.Start("mkfifo", dir.File("pipe.env")))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
            mkfifo.ExitCode.ShouldBe(0);
        }
        var scanner = new Scanner(new ScanOptions());

        // Reading the pipe would block until a writer came; the scan must finish without one.
        var found = await Task.Run(() => scanner.ScanFiles([dir.Path]).ToList(), TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        found.ShouldHaveSingleItem().Location.Path.ShouldEndWith("app.env");
        var note = scanner.Notes.ShouldHaveSingleItem();
        note.Path.ShouldEndWith("pipe.env");
        note.Reason.ShouldBe("named pipe (FIFO): not a regular file");
        note.Skipped.ShouldBeTrue();
    }

    private static List<string> Scanned(TempDir dir, ScanOptions options) =>
        [.. new Scanner(options).ScanFiles([dir.Path]).Select(f => Path.GetRelativePath(dir.Path, f.Location.Path).Replace('\\', '/')).Distinct().Order(StringComparer.Ordinal)];
}
