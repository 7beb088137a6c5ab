using System.CommandLine;
using Keyshift.Execution;
using Keyshift.Planning;
using Spectre.Console;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift plan</c>: what apply will do, like terraform plan; exit 1 on conflicts.</summary>
internal static class PlanCommand
{
    public const int TableLimit = 100;

    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var format = CommonOptions.Format("table", "json");
        var output = new Option<FileInfo?>("--out") { Description = "Save the plan; `keyshift apply --plan FILE` then does exactly this or refuses if anything changed." };
        var command = new Command("plan", "Show what apply will do to each move: create, update, no-op or conflict, and the next step.\n\n" +
            "Reads both sides of every move once and changes nothing. Exit 1 when a target holds a value Keyshift did not write (a conflict).")
        {
            config, format, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var migration = Migration.Open(parse.GetValue(config)!.FullName, context.Time);
            context.WarnAboutIssuers(migration.Config);
            var plan = await Planner.CreateAsync(migration, ct);
            if (parse.GetValue(output) is { } file)
            {
                // the plan's MAC and fingerprints must verify with the key apply will use
                migration.Persist();
                PlanFile.Save(plan, migration.Config.Name, migration.Key, file.FullName);
            }
            if (parse.GetValue(format) == "json")
                context.WriteJson(Json(plan, migration));
            else
                Render(context, plan, migration, parse.GetValue(output));
            return plan.Conflicts.Any() ? ExitCodes.Found : ExitCodes.Success;
        });
        return command;
    }

    private static object Json(Plan plan, Migration migration) => new
    {
        name = migration.Config.Name,
        mode = migration.Config.Mode,
        summary = Enum.GetValues<PlanOutcome>().ToDictionary(o => o.ToString(), plan.Count),
        moves = plan.Moves.Select(m => new
        {
            id = m.Id,
            target = m.Move.Target.ToString(),
            state = m.State,
            outcome = m.Outcome,
            next = m.NextStep,
            sourceFingerprint = m.SourceFingerprint,
            targetFingerprint = m.TargetFingerprint,
        }),
    };

    private static void Render(CliContext context, Plan plan, Migration migration, FileInfo? saved)
    {
        var console = context.Console;
        console.MarkupLine($"[bold]Keyshift plan[/] for [blue]{Markup.Escape(migration.Config.Name)}[/] ({Markup.Escape(Names.Mode(migration.Config.Mode))}), {plan.Moves.Count} moves");
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("Move", "Target", "State", "Outcome", "Next");
        foreach (var m in plan.Moves.Take(TableLimit))
        {
            table.AddRow(
                Markup.Escape(m.Id),
                Markup.Escape(m.Move.Target.ToString()),
                Names.State(m.State),
                Names.Outcome(m.Outcome),
                Markup.Escape(m.NextStep));
        }
        console.Write(table);
        if (plan.Moves.Count > TableLimit)
            console.MarkupLine($"… and {plan.Moves.Count - TableLimit} more moves (--format json lists them all)");
        console.MarkupLine($"Plan: [green]{plan.Count(PlanOutcome.Create)} to create[/], [yellow]{plan.Count(PlanOutcome.Update)} to update[/], " +
            $"{plan.Count(PlanOutcome.NoOp)} no-op, [red]{plan.Count(PlanOutcome.Conflict)} conflicts[/], {plan.Count(PlanOutcome.Overwrite)} to overwrite, " +
            $"{plan.Count(PlanOutcome.InProgress)} in progress, {plan.Count(PlanOutcome.Done)} done.");
        foreach (var conflict in plan.Conflicts.Take(10))
            console.MarkupLine($"[red]conflict[/]: {Markup.Escape(conflict.Move.Target.ToString())} holds a value Keyshift did not write (move {Markup.Escape(conflict.Id)}). Set onConflict: overwrite to replace it; rollback restores it.");
        if (saved is not null)
            console.MarkupLine($"Saved to {Markup.Escape(saved.FullName)}; run [bold]keyshift apply --plan {Markup.Escape(saved.Name)}[/] to carry out exactly this plan.");
    }
}
