using System.CommandLine;
using Keyshift.Execution;
using Keyshift.Planning;
using Spectre.Console;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift status</c>: every move's state, next step and what holds it back.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var format = CommonOptions.Format("table", "json");
        var command = new Command("status", "Show each move's state (planned, staged, verified, dual-run, retired, rolled-back, failed), its next step and the gates before retirement, with their evidence.")
        {
            config, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var migration = Migration.Open(parse.GetValue(config)!.FullName, context.Time);
            var plan = await Planner.CreateAsync(migration, ct);
            var statuses = MoveStatus.For(migration, plan);
            if (parse.GetValue(format) == "json")
                context.WriteJson(Json(migration, statuses));
            else
                Render(context, migration, statuses);
            return ExitCodes.Success;
        });
        return command;
    }

    private static object Json(Migration migration, IReadOnlyList<MoveStatus> statuses) => new
    {
        name = migration.Config.Name,
        mode = migration.Config.Mode,
        states = statuses.GroupBy(s => s.State).ToDictionary(g => g.Key.ToString(), g => g.Count()),
        moves = statuses.Select(s => new
        {
            id = s.Id,
            target = s.Planned.Move.Target.ToString(),
            state = s.State,
            next = s.Planned.NextStep,
            pendingStep = s.Record?.PendingStep,
            owner = s.Planned.Move.Config.Owner,
            consumers = s.Planned.Move.Config.Consumers,
            stagedAt = s.Record?.StagedAt,
            verifiedAt = s.Record?.VerifiedAt,
            cutoverAt = s.Record?.CutoverAt,
            retiredAt = s.Record?.RetiredAt,
            approvals = s.Approvals,
            failure = s.Record?.FailedReason,
            fingerprint = s.Record?.WrittenFingerprint,
            usage = Usage(s),
            gates = s.Gates.Select(g => new { name = g.Name, holds = g.Holds, evidence = g.Evidence }),
        }),
    };

    /// <summary>Where the quiet-window gate of a move gets its evidence.</summary>
    private static string Usage(MoveStatus s) =>
        s.Planned.Move.IsIntegration ? $"usage ledger of the gateway ({UsageLedgerGate.SourceName(s.Planned.Move.Config.Integration!)})"
        : s.Planned.Move.Issuer is { } issuer ? $"telemetry of issuer '{issuer.Name}'"
        : "no usage evidence";

    private static void Render(CliContext context, Migration migration, IReadOnlyList<MoveStatus> statuses)
    {
        var console = context.Console;
        console.MarkupLine($"[bold]{Markup.Escape(migration.Config.Name)}[/] ({Names.Mode(migration.Config.Mode)}): " +
            string.Join(", ", statuses.GroupBy(s => s.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Names.State(g.Key)}")));
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Move", "Target", "State", "Next", "Fingerprint", "Gates");
        foreach (var s in statuses.Take(PlanCommand.TableLimit))
        {
            var gates = s.Gates.Count == 0 ? "" : string.Join("\n", s.Gates.Select(g => (g.Holds ? "[green]✓[/] " : "[red]✗[/] ") + Markup.Escape(g.ToString())));
            var failure = s.Record?.FailedReason is { } reason ? $"\n[red]{Markup.Escape(reason)}[/]" : "";
            table.AddRow(
                new Markup(Markup.Escape(s.Id)),
                new Markup(Markup.Escape(s.Planned.Move.Target.ToString())),
                new Markup(Names.State(s.State) + failure),
                new Markup(Markup.Escape(s.Planned.NextStep)),
                new Markup(s.Record?.WrittenFingerprint is { } fp ? fp[..12] : ""),
                new Markup(gates));
        }
        console.Write(table);
        if (statuses.Count > PlanCommand.TableLimit)
            console.MarkupLine($"… and {statuses.Count - PlanCommand.TableLimit} more moves (--format json lists them all)");
        var withoutTelemetry = statuses.Count(s => Usage(s) == "no usage evidence");
        if (withoutTelemetry > 0)
            console.MarkupLine($"Usage: {withoutTelemetry} move(s) have no telemetry source, so the quiet window does not hold them" +
                (withoutTelemetry < statuses.Count ? "; the others are held by their issuer's telemetry or the gateway's usage ledger (see their gates)." : "."));
    }
}
