using System.Text;
using Keyshift.Scanning;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Scanning;

/// <summary>Binary, huge, minified, invalid UTF-8 and looping input is skipped or noted with a reason, never a crash or hang.</summary>
public sealed class BadInputTests
{
    private const string Token = "ghp_jmsn9dLVIdVuddLEG62Hkd9Gf2leMeR3pzh8";

    [Fact]
    public void BinaryFile_IsSkippedWithReason()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("image.png"), [0x89, 0x50, 0x4E, 0x47, 0, 0, .. Encoding.UTF8.GetBytes("GITHUB_TOKEN=" + Token)]);
        var scanner = new Scanner(new ScanOptions());

        scanner.ScanFiles([dir.Path]).ToList().ShouldBeEmpty();
        scanner.Notes.ShouldHaveSingleItem().Reason.ShouldContain("binary");
    }

    [Fact]
    public void FileOverTheSizeLimit_IsSkippedWithReason()
    {
        using var dir = new TempDir();
        dir.Write("dump.sql", new string('-', 2 * 1024 * 1024) + "\nGITHUB_TOKEN=" + Token);
        var scanner = new Scanner(new ScanOptions { MaxFileBytes = 1024 * 1024 });

        scanner.ScanFiles([dir.Path]).ToList().ShouldBeEmpty();
        scanner.Notes.ShouldHaveSingleItem().Reason.ShouldContain("larger than the 1 MB limit");
    }

    [Fact]
    public void MinifiedOneLineFile_IsScannedInWindows_AndFindsTheSecret()
    {
        using var dir = new TempDir();
        var filler = string.Concat(Enumerable.Repeat("var a=function(b){return b.token+\"x\"};", 50_000));
        dir.Write("app.min.js", filler + "const k=\"" + Token + "\";" + filler);

        var found = new Scanner(new ScanOptions()).ScanFiles([dir.Path]).ToList().Where(f => f.Kind == FindingKind.Secret).ShouldHaveSingleItem();
        found.RuleId.ShouldBe("github-token");
        found.Location.Line.ShouldBe(1);
        found.Location.Column.ShouldBe(filler.Length + 10);
    }

    [Fact]
    public void LongLineAfterLinesWithoutKeywords_IsScannedInWindows_WithTheRightLineNumbers()
    {
        // Found on a real tree (a generated lexer table): keyword-free lines, then one line of 70,000 characters
        // holding many keywords, then a secret on the next line.
        using var dir = new TempDir();
        var quiet = string.Concat(Enumerable.Repeat("plain = 1\n", 5));
        var longLine = "names = [" + string.Concat(Enumerable.Repeat("'NSSecureTextField', 'passwordToken', ", 2_000)) + "]\n";
        dir.Write("table.py", quiet + longLine + "GITHUB_TOKEN = '" + Token + "'\n");

        var found = new Scanner(new ScanOptions()).ScanFiles([dir.Path]).ToList().Where(f => f.Kind == FindingKind.Secret).ShouldHaveSingleItem();
        found.Location.Line.ShouldBe(7);
    }

    [Fact]
    public void InvalidUtf8_IsScannedWithANote()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("legacy.properties"), [.. Encoding.Latin1.GetBytes("name=caf\u00e9\n"), .. Encoding.UTF8.GetBytes("GITHUB_TOKEN=" + Token + "\n")]);
        var scanner = new Scanner(new ScanOptions());

        scanner.ScanFiles([dir.Path]).ToList().ShouldHaveSingleItem().Location.Line.ShouldBe(2);
        var note = scanner.Notes.ShouldHaveSingleItem();
        note.Skipped.ShouldBeFalse();
        note.Reason.ShouldContain("invalid UTF-8");
    }

    [Fact]
    public void SymlinkLoop_IsNotFollowed_AndTheScanEnds()
    {
        using var dir = new TempDir();
        dir.Write("a/.env", "GITHUB_TOKEN=" + Token + "\n");
        Directory.CreateSymbolicLink(dir.File("a/loop"), dir.Path);
        var scanner = new Scanner(new ScanOptions());

        scanner.ScanFiles([dir.Path]).ToList().ShouldHaveSingleItem();
        scanner.Notes.ShouldContain(n => n.Path.EndsWith("loop", StringComparison.Ordinal) && n.Reason.Contains("not followed", StringComparison.Ordinal));
    }

    [Fact]
    public void UnreadableFile_IsSkippedWithReason()
    {
        // Root reads files of any mode; /proc/self/mem refuses a read at offset 0 whoever asks (EIO).
        var scanner = new Scanner(new ScanOptions());

        scanner.ScanFiles(["/proc/self/mem"]).ToList().ShouldBeEmpty();
        scanner.Notes.ShouldHaveSingleItem().Reason.ShouldContain("unreadable");
    }

    [Fact]
    public async Task MissingPath_IsBadInput()
    {
        var (exit, _, err) = await ScanCli.Run("scan", "/nonexistent/keyshift/path");
        exit.ShouldBe(2);
        err.ShouldContain("does not exist");
    }
}
