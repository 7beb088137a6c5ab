using System.Diagnostics;

namespace Keyshift.Tests.Support;

/// <summary>Starts the keyshift CLI as a real process (for crash tests that kill it).</summary>
public static class CliProcess
{
    // The CLI's own output folder: the test's copy runs under the test's ASP.NET framework reference, whose
    // assemblies (Microsoft.Extensions.*) are not copied next to it, so a process started from there cannot load them.
    public static string Dll
    {
        get
        {
            var own = AppContext.BaseDirectory.Replace(Path.Combine("test", "Keyshift.Tests"), Path.Combine("src", "Keyshift.Cli"), StringComparison.Ordinal);
            return File.Exists(Path.Combine(own, "Keyshift.Cli.dll")) ? Path.Combine(own, "Keyshift.Cli.dll") : Path.Combine(AppContext.BaseDirectory, "Keyshift.Cli.dll");
        }
    }

    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        return Process.Start(info)!;
    }
}
