using System.Diagnostics;

namespace Keyshift.Audit;

/// <summary>
/// The exclusive lock around every append: <c>audit.lock</c> next to the log, opened with
/// <see cref="FileShare.None"/> — on Linux and macOS that is <c>flock(LOCK_EX)</c> on the file, so every
/// Keyshift process (CLI, watch, gateway, serve) and any tool using <c>flock(1)</c> excludes the others.
/// The lock file is never deleted: deleting it would let two processes lock two different files.
/// </summary>
internal sealed class AuditLock : IDisposable
{
    private readonly FileStream _file;

    private AuditLock(FileStream file) => _file = file;

    public static string PathFor(string auditPath) => Path.ChangeExtension(auditPath, ".lock");

    public static AuditLock Acquire(string auditPath, TimeSpan timeout)
    {
        var path = PathFor(auditPath);
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var clock = Stopwatch.StartNew();
        var wait = 1;
        while (true)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                return new AuditLock(new FileStream(path, options));
            }
            catch (UnauthorizedAccessException e)
            {
                throw new AuditUnavailableException($"audit log {auditPath}: cannot open the lock file {path}: {e.Message}", e);
            }
            catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
            {
                // Held by another process (or thread): back off and retry until the timeout.
                if (clock.Elapsed >= timeout)
                    throw new AuditUnavailableException($"audit log {auditPath}: the lock {path} is still held by another process after {timeout.TotalSeconds:0.#}s ({e.Message})", e);
                Thread.Sleep(wait);
                wait = Math.Min(wait * 2, 50);
            }
            catch (IOException e)
            {
                throw new AuditUnavailableException($"audit log {auditPath}: cannot open the lock file {path}: {e.Message}", e);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
