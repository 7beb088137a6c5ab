using System.CommandLine;
using Keyshift.Apis.Integrations;
using Keyshift.Execution;
using Keyshift.Gateway;
using Microsoft.Extensions.Logging;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift gateway</c>: serves the dual-run gateway for the config's integrations until stopped.</summary>
internal static class GatewayCommand
{
    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var reset = new Option<string[]>("--reset-rollback")
        {
            Description = "Forget the automatic shift rollback recorded for this integration (repeatable; audited), so its shift share goes to new again from this start.",
        };
        var command = new Command("gateway",
            "Serve the dual-run gateway in front of each integration's legacy API (modes observe, shadow, shift, new) until stopped. " +
            "Usage goes to the ledger in .keyshift/state.db; /metrics and /healthz are served on the admin address. " +
            "An automatic shift rollback is kept across restarts until --reset-rollback NAME.")
        {
            config, reset,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var migration = Migration.Open(parse.GetValue(config)!.FullName, context.Time);
            var set = IntegrationReader.Read(migration.Config);
            GatewayServer.ResetRollbacks(migration, set, parse.GetValue(reset) ?? []);
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            await using var server = await GatewayServer.StartAsync(migration, set, loggers, ct);
            await context.Output.WriteLineAsync($"gateway: proxy {server.ProxyUrl}, admin {server.AdminUrl} ({string.Join(", ", set.Integrations.Select(i => $"{i.Name}: {i.Mode.ToString().ToLowerInvariant()}"))})");
            await context.Output.FlushAsync(CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }
            await server.StopAsync();
            await context.Output.WriteLineAsync("gateway: stopped; usage ledger flushed");
            return ExitCodes.Success;
        });
        return command;
    }
}
