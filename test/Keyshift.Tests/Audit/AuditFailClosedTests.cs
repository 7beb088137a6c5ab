using System.Diagnostics;
using Keyshift.Audit;

namespace Keyshift.Tests.Audit;

public sealed class AuditFailClosedTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Append_ToAReadOnlyLog_ThrowsAndAppendsNothing()
    {
        using var f = new AuditFixture();
        f.Seed(3);
        var before = File.ReadAllBytes(f.LogPath);
        using var log = f.Open();
        using (ReadOnly(f.LogPath))
        {
            var e = Should.Throw<AuditUnavailableException>(() => log.Append(AuditFixture.Record(4)));
            e.Message.ShouldContain(f.LogPath);
        }

        File.ReadAllBytes(f.LogPath).ShouldBe(before);
        log.Count.ShouldBe(3);
    }

    [Fact]
    public void Append_WhileAnotherProcessHoldsTheLock_FailsClosedThenSucceedsOnceReleased()
    {
        using var f = new AuditFixture();
        f.Seed(2);
        var before = File.ReadAllBytes(f.LogPath);
        using var log = f.Open(lockTimeout: TimeSpan.FromMilliseconds(300));

        // flock(1) takes the same flock(2) lock .NET takes for FileShare.None.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["-x", AuditLockPath(f), "-c", "echo locked; exec cat"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        holder.StandardOutput.ReadLine().ShouldBe("locked");

        Should.Throw<AuditUnavailableException>(() => log.Append(AuditFixture.Record(3))).Message.ShouldContain("still held by another process");
        File.ReadAllBytes(f.LogPath).ShouldBe(before);

        holder.StandardInput.Close();
        holder.WaitForExit();
        log.Append(AuditFixture.Record(3)).Count.ShouldBe(3);
        f.Verify().Intact.ShouldBeTrue();
    }

    [Fact]
    public void Append_WhenTheLogCannotBeOpened_Throws()
    {
        using var f = new AuditFixture();
        Directory.CreateDirectory(f.LogPath);
        using var log = f.Open();

        Should.Throw<AuditUnavailableException>(() => log.Append(AuditFixture.Record(1))).Message.ShouldContain("cannot open it for appending");
    }

    private static string AuditLockPath(AuditFixture f) => Path.Combine(f.Workspace.StateDirectory, "audit.lock");

    /// <summary>
    /// Makes the file read-only for this process: mode 0444, and — because root ignores modes — the
    /// immutable attribute when running as root.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static IDisposable ReadOnly(string path)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var root = Environment.UserName == "root";
        if (root)
            Run("chattr", "+i", path);
        return new Cleanup(() =>
        {
            if (root)
                Run("chattr", "-i", path);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        });
    }

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, $"{file} {string.Join(' ', args)}: {error}");
    }

    private sealed class Cleanup(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
