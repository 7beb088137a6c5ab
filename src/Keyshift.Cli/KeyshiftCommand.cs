using System.CommandLine;
using Keyshift.Cli.Commands;
using Keyshift.Configuration;
using Keyshift.Stores;

namespace Keyshift.Cli;

/// <summary>The root command: every subcommand, and the mapping from failures to exit codes.</summary>
internal static class KeyshiftCommand
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Keyshift moves the credentials of non-human identities and the integrations that use them to a new " +
            "place, without an outage and without leaving the old path alive.\n\n" +
            "Start with `keyshift demo`, then `keyshift init` in your own folder.\n" +
            "Exit codes: 0 success; 1 ran and found something (drift, gates not met, conflicts, findings); " +
            "2 bad input, nothing changed; 3 failed part-way, state kept, re-run resumes.");
        foreach (var command in Commands())
            root.Subcommands.Add(command);
        return root;
    }

    private static IEnumerable<Command> Commands()
    {
        yield return ScanCommand.Create();
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = Build();
        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        try
        {
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (var error in parsed.Errors)
                    await stderr.WriteLineAsync($"error: {error.Message}");
                await stderr.WriteLineAsync("Run with --help for usage.");
                return ExitCodes.BadInput;
            }
            return await parsed.InvokeAsync(config);
        }
        catch (BadInputException e)
        {
            foreach (var error in e.Errors)
                await stderr.WriteLineAsync($"error: {error}");
            await stderr.WriteLineAsync("Nothing was changed.");
            return ExitCodes.BadInput;
        }
        catch (StoreException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
    }
}
