using System.CommandLine;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift api</c>: API contract work for integrations (<c>diff</c>; more subcommands join here).</summary>
internal static class ApiCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("api", "API migration: compare contracts and follow integrations moving to a new API.");
        command.Subcommands.Add(ApiDiffCommand.Create());
        command.Subcommands.Add(ApiStatusCommand.Create(context));
        return command;
    }
}
