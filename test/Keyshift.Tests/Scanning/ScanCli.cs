using Keyshift.Cli;

namespace Keyshift.Tests.Scanning;

/// <summary>Runs the real <c>keyshift</c> command in-process and captures what it prints.</summary>
internal static class ScanCli
{
    public static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await KeyshiftCommand.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
