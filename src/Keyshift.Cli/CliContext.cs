using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Keyshift.Cli;

/// <summary>What every command writes to and reads the time from; tests give their own writers and clock.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, TimeProvider time, bool interactive)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public TimeProvider Time { get; } = time;

    /// <summary>True when a person watches a terminal: progress bars and prompts are allowed.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>Prints, once per command, what the config's issuers warn about (no dual-run, no revocation list).</summary>
    public void WarnAboutIssuers(Keyshift.Configuration.KeyshiftConfig config)
    {
        foreach (var warning in config.Issuers.Values.SelectMany(i => i.Warnings))
            Error.WriteLine($"warning: {warning}");
    }

    public IAnsiConsole Console { get; } = CreateConsole(output, interactive);

    private static IAnsiConsole CreateConsole(TextWriter output, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Piped output has no terminal width; wide tables keep addresses on one line for grep and logs.
        if (!interactive)
            console.Profile.Width = 240;
        return console;
    }

    public void WriteJson<T>(T value) => Output.WriteLine(JsonSerializer.Serialize(value, Json));

    public static CliContext ForConsole() =>
        new(System.Console.Out, System.Console.Error, TimeProvider.System, !System.Console.IsOutputRedirected && !System.Console.IsInputRedirected);
}
