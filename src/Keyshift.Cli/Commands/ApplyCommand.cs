using System.CommandLine;
using Keyshift.Execution;
using Keyshift.Planning;
using Keyshift.State;
using Keyshift.Stores;
using Spectre.Console;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift apply</c>: carries the moves through stage, verify, cutover and retire as far as asked and the gates allow.</summary>
internal static class ApplyCommand
{
    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var planFile = new Option<FileInfo?>("--plan") { Description = "Carry out a plan saved by `keyshift plan --out`; refused when anything changed since." };
        var until = new Option<string>("--until")
        {
            Description = "Stop after this stage: staged (written as pending), verified (fingerprints compared), cutover (dual-run starts) or retired (old path removed, only where every gate holds). Default: as far as the gates allow.",
            DefaultValueFactory = _ => "retired",
        };
        until.AcceptOnlyFromAmong("staged", "verified", "cutover", "retired");
        var concurrency = new Option<int>("--concurrency") { Description = "Stores read and written at once.", DefaultValueFactory = _ => 4 };
        var batchSize = new Option<int?>("--batch-size") { Description = "Moves per batch: one state transaction and one rewrite per store each (default: about ten batches per step, 5,000 to 50,000 moves each)." };
        var dryRun = CommonOptions.DryRun();
        var format = CommonOptions.Format("table", "json");
        var command = new Command("apply", "Stage, verify, cut over and retire moves. Every step is recorded before it touches a store, so a re-run after a crash resumes.\n\n" +
            "Exit 0 when every move reached the requested stage; 1 when gates or conflicts held some back (each named); 3 when a step failed part-way (re-run resumes).")
        {
            config, planFile, until, concurrency, batchSize, dryRun, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var migration = Migration.Open(parse.GetValue(config)!.FullName, context.Time);
            context.WarnAboutIssuers(migration.Config);
            migration.Concurrency = Math.Max(1, parse.GetValue(concurrency));
            using var changing = parse.GetValue(dryRun) ? null : migration.LockChanges();
            var plan = await Planner.CreateAsync(migration, ct);
            if (parse.GetValue(planFile) is { } saved)
                PlanFile.CheckMatches(saved.FullName, plan, migration.Key);
            var target = parse.GetValue(until) switch
            {
                "staged" => MoveState.Staged,
                "verified" => MoveState.Verified,
                "cutover" => MoveState.DualRun,
                _ => MoveState.Retired,
            };
            var json = parse.GetValue(format) == "json";
            if (parse.GetValue(dryRun))
            {
                context.Console.MarkupLine($"Dry run: {plan.Count(PlanOutcome.Create)} to create, {plan.Count(PlanOutcome.Update)} to update, {plan.Count(PlanOutcome.NoOp)} no-op, {plan.Count(PlanOutcome.Conflict)} conflicts; nothing was changed.");
                return plan.Conflicts.Any() ? ExitCodes.Found : ExitCodes.Success;
            }
            IReadOnlyList<MoveOutcome> outcomes;
            try
            {
                outcomes = await RunAsync(context, new Executor(migration) { BatchSize = parse.GetValue(batchSize) is { } size ? Math.Max(1, size) : null }, plan, target, json, ct);
            }
            catch (StoreException e)
            {
                await context.Error.WriteLineAsync($"error: {e.Message}");
                await context.Error.WriteLineAsync("The step failed part-way; state is kept and `keyshift apply` resumes where it stopped.");
                return ExitCodes.PartialFailure;
            }
            return Report(context, outcomes, target, json);
        });
        return command;
    }

    private static async Task<IReadOnlyList<MoveOutcome>> RunAsync(CliContext context, Executor executor, Plan plan, MoveState until, bool json, CancellationToken ct)
    {
        if (!context.Interactive || json)
            return await executor.ApplyAsync(plan, until, ct);
        IReadOnlyList<MoveOutcome> outcomes = [];
        await context.Console.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                var reporter = new Progress<StepProgress>(p =>
                {
                    if (!tasks.TryGetValue(p.Step, out var task))
                        tasks[p.Step] = task = progress.AddTask(p.Step, maxValue: Math.Max(1, p.Total));
                    task.Value = p.Done;
                });
                executor.Progress = reporter;
                outcomes = await executor.ApplyAsync(plan, until, ct);
            });
        return outcomes;
    }

    internal static int Report(CliContext context, IReadOnlyList<MoveOutcome> outcomes, MoveState until, bool json)
    {
        var held = outcomes.Where(o => o.HeldBy.Count > 0).ToList();
        var failed = outcomes.Where(o => o.State == MoveState.Failed || o.Failure is not null && o.State != MoveState.RolledBack).ToList();
        if (json)
        {
            context.WriteJson(new
            {
                until = Names.Until(until),
                states = outcomes.GroupBy(o => o.State).ToDictionary(g => g.Key.ToString(), g => g.Count()),
                held = held.Select(o => new { move = o.MoveId, gates = o.HeldBy.Select(g => new { g.Name, g.Evidence }) }),
                failed = failed.Select(o => new { move = o.MoveId, reason = o.Failure }),
            });
        }
        else
        {
            var console = context.Console;
            var table = new Table().Border(TableBorder.Rounded).AddColumns("State", "Moves");
            foreach (var group in outcomes.GroupBy(o => o.State).OrderBy(g => g.Key))
                table.AddRow(Names.State(group.Key), group.Count().ToString(System.Globalization.CultureInfo.InvariantCulture));
            console.Write(table);
            foreach (var o in held.Take(20))
                console.MarkupLine($"[yellow]held[/] {Markup.Escape(o.MoveId)}: {Markup.Escape(string.Join("; ", o.HeldBy))}");
            if (held.Count > 20)
                console.MarkupLine($"… and {held.Count - 20} more held back (keyshift status lists them)");
            foreach (var o in failed.Take(20))
                console.MarkupLine($"[red]failed[/] {Markup.Escape(o.MoveId)}: {Markup.Escape(o.Failure ?? "see keyshift status")}");
        }
        return failed.Count > 0 ? ExitCodes.PartialFailure : held.Count > 0 ? ExitCodes.Found : ExitCodes.Success;
    }
}
