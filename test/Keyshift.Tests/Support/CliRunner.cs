using Keyshift.Cli;

namespace Keyshift.Tests.Support;

/// <summary>Runs the keyshift CLI in-process, as a user would, with captured output and an optional fake clock.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Err)
    {
        public string All => Out + Err;

        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Err}";
    }

    public static async Task<Result> RunAsync(TimeProvider? time, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await KeyshiftCommand.RunAsync(args, stdout, stderr, time);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    public static Task<Result> RunAsync(params string[] args) => RunAsync(null, args);
}
