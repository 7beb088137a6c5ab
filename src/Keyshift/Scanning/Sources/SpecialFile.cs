using System.Runtime.InteropServices;

namespace Keyshift.Scanning.Sources;

/// <summary>
/// Tells named pipes, sockets and devices from regular files. .NET reports them all as ordinary files of length
/// zero, and opening a FIFO to read blocks until something writes to it: a scan would hang on one.
/// </summary>
internal static class SpecialFile
{
    private const int TypeMask = 0xF000;

    /// <summary>What <paramref name="path"/> is when it is not a regular file (never follows a link), else null.</summary>
    public static string? KindOf(string path)
    {
        if (OperatingSystem.IsWindows())
            return null;
        try
        {
            // lstat through the runtime's own native shim, whose FileStatus starts with two ints: flags, then st_mode.
            var status = new byte[256];
            if (LStat(path, status) != 0)
                return null;
            return (BitConverter.ToInt32(status, 4) & TypeMask) switch
            {
                0x1000 => "named pipe (FIFO)",
                0x2000 => "character device",
                0x6000 => "block device",
                0xC000 => "socket",
                _ => null,
            };
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    // DllImport, not LibraryImport: the generated marshalling needs unsafe code, which this project does not allow.
    // On Unix an ANSI string is marshalled as UTF-8, which is what the shim expects.
#pragma warning disable SYSLIB1054, CA2101
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int LStat(string path, [Out] byte[] status);
#pragma warning restore SYSLIB1054, CA2101
}
