using Keyshift.Configuration;

namespace Keyshift.Execution;

/// <summary>
/// One changing command per workspace: <c>apply</c>, <c>retire</c> and <c>rollback</c> hold an exclusive lock
/// on <c>.keyshift/lock</c> while they run. Two of them rewriting the same store files at once would each
/// write over the other's batch; the second one stops before it changes anything instead.
/// Read-only commands, <c>watch</c> and the gateway never take it.
/// </summary>
internal static class WorkspaceLock
{
    public static IDisposable Acquire(Workspace workspace)
    {
        Directory.CreateDirectory(workspace.StateDirectory);
        var path = Path.Combine(workspace.StateDirectory, "lock");
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            // FileShare.None is an exclusive, non-blocking advisory lock (flock) on Unix, held until disposed.
            return new FileStream(path, options);
        }
        catch (IOException)
        {
            throw new BadInputException(new SourceLocation(workspace.ConfigPath, 1), "",
                "another keyshift command (apply, retire or rollback) is changing this workspace right now (.keyshift/lock is held); run this one when it has finished — nothing was changed");
        }
    }
}
