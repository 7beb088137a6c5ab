using Keyshift.Apis.Diff;
using Spectre.Console;

namespace Keyshift.Cli.Commands;

/// <summary>The terminal view of <c>api diff</c>: changes grouped by severity, coloured when writing to a terminal.</summary>
internal static class ApiDiffTextReport
{
    public static void Write(ApiDiffResult result, IReadOnlyList<ApiChange> shown, Severity failOn, string? consumer, Severity minimum, TextWriter output)
    {
        var colour = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        var console = colour ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.Yes }) : null;
        void Line(string text, string? style = null)
        {
            if (console is null || style is null)
                output.WriteLine(text);
            else
                console.MarkupLine($"[{style}]{Markup.Escape(text)}[/]");
        }

        var view = consumer is not null ? $" — view of consumer {consumer}" : result.Consumer is not null ? " — view of the listed operations" : "";
        Line($"api diff {result.Old.File} ({result.Old.VersionText}) → {result.New.File} ({result.New.VersionText}){view}", "bold");
        foreach (var group in shown.GroupBy(c => c.Severity).OrderByDescending(g => g.Key))
        {
            Line("");
            var (title, style) = group.Key switch
            {
                Severity.Breaking => ("BREAKING", "red bold"),
                Severity.Warning => ("WARNING", "yellow bold"),
                _ => ("INFO", "blue bold"),
            };
            Line($"{title} ({group.Count()})", style);
            foreach (var change in group)
            {
                Line($"  {change.Check.Id} {change.Check.Name}: {change.Message}", null);
                var where = change.Primary;
                var operations = change.Operations.Count == 0 ? "" : string.Join(", ", change.Operations.Take(4)) + (change.Operations.Count > 4 ? $" +{change.Operations.Count - 4} more" : "") + " · ";
                Line($"      {operations}{where.File}:{where.Line} #{where.Pointer}", "grey");
            }
        }
        Line("");
        var hidden = minimum > Severity.Info && result.Count(Severity.Info) > 0 ? $" ({result.Count(Severity.Info)} info not shown; --changelog shows them)" : "";
        var ignored = result.Ignored > 0 ? $", {result.Ignored} ignored by rules" : "";
        Line($"{result.Count(Severity.Breaking)} breaking, {result.Count(Severity.Warning)} warning, {result.Count(Severity.Info)} info{ignored}{hidden}.");
        Line(result.Fails(failOn) ? $"Failing: changes at or above {failOn.Name()}." : $"No changes at or above {failOn.Name()}.", result.Fails(failOn) ? "red" : "green");
    }
}
