using System.CommandLine;
using Keyshift.Execution;
using Keyshift.Planning;
using Keyshift.Stores;
using Spectre.Console;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift rollback</c>: back to the source path for moves not yet retired.</summary>
internal static class RollbackCommand
{
    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var selection = new MoveSelection();
        var format = CommonOptions.Format("table", "json");
        var command = new Command("rollback", "Undo moves that are not retired: remove exactly what Keyshift wrote to the target, or restore the value it overwrote, and nothing else. " +
            "The source was never touched before retirement, so consumers keep working on the old path.")
        {
            config, format,
        };
        selection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var migration = Migration.Open(parse.GetValue(config)!.FullName, context.Time);
            // A workspace never applied has nothing to change; it is not given a .keyshift/ for the lock.
            using var changing = migration.Persisted ? migration.LockChanges() : null;
            var plan = await Planner.CreateAsync(migration, ct);
            var ids = selection.Resolve(parse, plan, required: true);
            IReadOnlyList<MoveOutcome> outcomes;
            try
            {
                outcomes = await new Executor(migration).RollbackAsync(plan, ids, ct);
            }
            catch (StoreException e)
            {
                await context.Error.WriteLineAsync($"error: {e.Message}\nRollback failed part-way; state is kept and `keyshift rollback` resumes.");
                return ExitCodes.PartialFailure;
            }
            if (parse.GetValue(format) == "json")
            {
                context.WriteJson(outcomes.Select(o => new { move = o.MoveId, state = o.State, note = o.Failure }));
            }
            else
            {
                foreach (var group in outcomes.GroupBy(o => o.State))
                    context.Console.MarkupLine($"{group.Count()} {Names.State(group.Key)}");
                foreach (var o in outcomes.Where(o => o.Failure is not null))
                    context.Console.MarkupLine($"[yellow]note[/] {Markup.Escape(o.MoveId)}: {Markup.Escape(o.Failure!)}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
