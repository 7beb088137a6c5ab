using System.CommandLine;
using Keyshift.Execution;
using Keyshift.Planning;
using Spectre.Console;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift drift</c>: value, presence and policy drift between source, target, state and config.</summary>
internal static class DriftCommand
{
    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var format = CommonOptions.Format("table", "json");
        var command = new Command("drift", "Compare source, target, state and keyshift.yaml: value drift (by fingerprint), presence drift (an entry missing, or back after retirement) and policy drift (owner, rotation, tags). Exit 1 when anything drifted.")
        {
            config, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var migration = Migration.Open(parse.GetValue(config)!.FullName, context.Time);
            var plan = await Planner.CreateAsync(migration, ct);
            var findings = Drift.Find(migration, plan);
            Print(context, findings, parse.GetValue(format) == "json", "No drift");
            return findings.Count > 0 ? ExitCodes.Found : ExitCodes.Success;
        });
        return command;
    }

    internal static void Print(CliContext context, IReadOnlyList<DriftFinding> findings, bool json, string clean)
    {
        if (json)
        {
            context.WriteJson(new { findings = findings.Select(f => new { move = f.MoveId, kind = f.Kind, message = f.Message }) });
            return;
        }
        if (findings.Count == 0)
        {
            context.Console.MarkupLine($"[green]{clean}[/]");
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Move", "Kind", "Finding");
        foreach (var f in findings)
            table.AddRow(Markup.Escape(f.MoveId), Markup.Escape(f.Kind), Markup.Escape(f.Message));
        context.Console.Write(table);
        context.Console.MarkupLine($"[red]{findings.Count} findings[/]");
    }
}
