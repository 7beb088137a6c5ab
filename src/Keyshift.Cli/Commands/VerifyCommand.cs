using System.CommandLine;
using Keyshift.Execution;
using Keyshift.Planning;
using Keyshift.Stores;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift verify</c>: verifies staged moves and re-checks verified and dual-run ones.</summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var format = CommonOptions.Format("table", "json");
        var command = new Command("verify", "Verify staged moves (the target's fingerprint equals the source's) and re-check every verified and dual-run move. Exit 1 when any check fails.")
        {
            config, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var migration = Migration.Open(parse.GetValue(config)!.FullName, context.Time);
            var plan = await Planner.CreateAsync(migration, ct);
            var failures = new Dictionary<string, string>(StringComparer.Ordinal);
            try
            {
                await new Executor(migration).VerifyAsync(plan, plan.Moves.Select(m => m.Id).ToHashSet(StringComparer.Ordinal), failures, ct);
            }
            catch (StoreException e)
            {
                await context.Error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.PartialFailure;
            }
            plan = await Planner.CreateAsync(migration, ct);
            var findings = failures.Select(f => new DriftFinding(f.Key, "verify", f.Value))
                .Concat(Drift.Find(migration, plan).Where(d => d.Kind != "policy")).ToList();
            DriftCommand.Print(context, findings, parse.GetValue(format) == "json", $"Verified: {plan.Moves.Count(m => m.State >= State.MoveState.Verified && m.State <= State.MoveState.Retired)} moves hold the expected values");
            return findings.Count > 0 ? ExitCodes.Found : ExitCodes.Success;
        });
        return command;
    }
}
