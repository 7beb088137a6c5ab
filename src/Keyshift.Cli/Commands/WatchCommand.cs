using System.CommandLine;
using Keyshift.Configuration;
using Keyshift.Execution;
using Keyshift.Telemetry;

namespace Keyshift.Cli.Commands;

/// <summary>
/// <c>keyshift watch</c>: the long-lived sampler. Every interval each telemetry source of the migration's issuers
/// collects, and its observations, coverage and cursor go to the state database, where retire's quiet-window gate reads them.
/// </summary>
internal static class WatchCommand
{
    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var interval = new Option<string>("--interval")
        {
            Description = "Time between samples (e.g. 5s, 1m). A sampled source covers the quiet window only where no two samples are further apart.",
            DefaultValueFactory = _ => "5s",
        };
        var once = new Option<bool>("--once") { Description = "Sample every source once, record it and exit." };
        var command = new Command("watch", "Sample the telemetry sources of the migration's issuers (pg_stat_activity, connection logs, Redis CLIENT LIST, RabbitMQ connections) " +
            "and record every observation in the state database, which several processes share.\n\n" +
            "Runs until interrupted. Exit 0; 2 for bad input; 3 when --once could not collect from any source.")
        {
            config, interval, once,
        };
        command.SetAction(async (parse, ct) =>
        {
            var text = parse.GetValue(interval)!;
            if (!DurationText.TryParse(text, out var every) || every <= TimeSpan.Zero)
                throw new BadInputException(null, "--interval", $"expected a duration such as 5s or 1m, got '{text}'");
            using var migration = Migration.Open(parse.GetValue(config)!.FullName, context.Time);
            var sources = UsageEvidence.Sources(migration.Config, migration.Time);
            if (sources.Count == 0)
                throw new BadInputException(null, "issuers", "no credential move uses an issuer with a telemetry source; there is nothing to watch");
            void Failed(TelemetrySource source, TelemetryException e) => context.Error.WriteLine($"warning: {e.Message} (no coverage from {source.Name} this round)");
            if (parse.GetValue(once))
            {
                var collected = await UsageEvidence.SampleOnceAsync(migration, sources, every, Failed, ct);
                await context.Output.WriteLineAsync($"sampled {collected} of {sources.Count} sources");
                return collected == 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
            }
            await context.Output.WriteLineAsync($"watching {string.Join(", ", sources.Select(s => s.Name))} every {DurationText.Format(every)}; Ctrl+C to stop");
            using var timer = new PeriodicTimer(every, migration.Time);
            try
            {
                do
                {
                    await UsageEvidence.SampleOnceAsync(migration, sources, every, Failed, ct);
                }
                while (await timer.WaitForNextTickAsync(ct));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C: every round already recorded is in the state database.
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
