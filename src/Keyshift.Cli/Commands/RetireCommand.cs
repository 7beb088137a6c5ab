using System.CommandLine;
using Keyshift.Execution;
using Keyshift.Planning;
using Keyshift.State;
using Keyshift.Stores;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift retire</c>: removes the old path of every move whose gates all hold.</summary>
internal static class RetireCommand
{
    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var selection = new MoveSelection();
        var format = CommonOptions.Format("table", "json");
        var command = new Command("retire", "Retire moves in dual-run whose gates all hold: verified, dual-run window elapsed, approvals given, no use of the old path in the quiet window. " +
            "Storage replacement deletes the source entry; credential replacement revokes the old credential at the issuer and probes that it is refused. Nothing is retired on a timer alone.\n\n" +
            "Default: every move whose gates hold. Exit 1 when a gate held any back (each gate is named with its evidence).")
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
            var ids = selection.Resolve(parse, plan, required: false);
            var failures = new Dictionary<string, string>(StringComparer.Ordinal);
            var executor = new Executor(migration);
            Dictionary<string, IReadOnlyList<Gate>> held;
            try
            {
                held = await executor.RetireAsync(plan, ids, failures, ct);
            }
            catch (StoreException e)
            {
                await context.Error.WriteLineAsync($"error: {e.Message}\nRetirement failed part-way; state is kept and `keyshift retire` resumes.");
                return ExitCodes.PartialFailure;
            }
            foreach (var problem in executor.TelemetryProblems)
                await context.Error.WriteLineAsync($"warning: {problem}");
            var records = migration.LoadRecords();
            var outcomes = ids.Where(records.ContainsKey).Select(id => new MoveOutcome(id, records[id].State, held.GetValueOrDefault(id) ?? [], failures.GetValueOrDefault(id))).ToList();
            return ApplyCommand.Report(context, outcomes, MoveState.Retired, parse.GetValue(format) == "json");
        });
        return command;
    }
}
