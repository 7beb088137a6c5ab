using System.CommandLine;

namespace Keyshift.Cli.Commands;

/// <summary>The options every command spells the same way.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo> Config() => new("--config", "-c")
    {
        Description = "Path to keyshift.yaml; its folder is the workspace (.keyshift/ holds state, audit log and key).",
        DefaultValueFactory = _ => new FileInfo("keyshift.yaml"),
    };

    /// <summary>--format with the given choices, the first being the default.</summary>
    public static Option<string> Format(params string[] choices)
    {
        var option = new Option<string>("--format")
        {
            Description = $"Output format: {string.Join(", ", choices)}.",
            DefaultValueFactory = _ => choices[0],
        };
        option.AcceptOnlyFromAmong(choices);
        return option;
    }

    public static Option<bool> DryRun() => new("--dry-run")
    {
        Description = "Show what would happen; change nothing.",
    };
}
