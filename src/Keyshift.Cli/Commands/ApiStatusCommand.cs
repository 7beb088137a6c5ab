using System.CommandLine;
using System.Globalization;
using Keyshift.Apis.Integrations;
using Keyshift.Execution;
using Keyshift.State;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift api status</c>: per integration and consumer, readiness for the new API and legacy use, from the gateway's usage ledger.</summary>
internal static class ApiStatusCommand
{
    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var format = CommonOptions.Format("table", "json");
        var command = new Command("status",
            "Show, per integration and consumer, what the gateway's usage ledger says: requests to legacy and new, share shifted, " +
            "shadow comparisons and the differing JSON paths, error rates, p50/p99 latency, whether token exchange worked, and the last legacy use.")
        {
            config, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var migration = Migration.Open(parse.GetValue(config)!.FullName, context.Time);
            var set = IntegrationReader.Read(migration.Config);
            List<UsageRecord> ledger = [];
            if (migration.Persisted)
            {
                UsageRecord.EnsureTable(migration.Db);
                ledger = await migration.Db.Usage.AsNoTracking().ToListAsync(ct);
            }
            var statuses = set.Integrations.Select(i => IntegrationStatus.From(i, ledger)).ToList();
            if (parse.GetValue(format) == "json")
                context.WriteJson(new { integrations = statuses });
            else
                Render(context, statuses, ledger.Count == 0);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Render(CliContext context, List<IntegrationStatus> statuses, bool empty)
    {
        var console = context.Console;
        if (statuses.Count == 0)
        {
            console.MarkupLine("No integrations in this config.");
            return;
        }
        foreach (var integration in statuses)
        {
            console.MarkupLine($"[bold]{Markup.Escape(integration.Integration)}[/] ({integration.Mode.ToString().ToLowerInvariant()})");
            var table = new Table().Border(TableBorder.Rounded).AddColumns("Consumer", "Legacy", "New", "Shifted", "Shadow diffs", "Errors legacy/new", "p50/p99 legacy", "p50/p99 new", "Token", "Last legacy use");
            foreach (var c in integration.Consumers)
            {
                var paths = c.DifferingPaths.Count == 0 ? "" : "\n" + string.Join("\n", c.DifferingPaths.OrderByDescending(p => p.Value).Take(5).Select(p => Markup.Escape($"{p.Key} ×{p.Value}")));
                table.AddRow(
                    new Markup(Markup.Escape(c.Consumer)),
                    new Markup(N(c.LegacyRequests)),
                    new Markup(N(c.NewRequests)),
                    new Markup(P(c.ShiftedPercent)),
                    new Markup($"{N(c.ShadowDifferences)}/{N(c.ShadowComparisons)} ({P(c.DiffRatePercent)}){paths}"),
                    new Markup($"{P(c.LegacyErrorRatePercent)} / {P(c.NewErrorRatePercent)}"),
                    new Markup(Ms(c.LegacyP50Ms, c.LegacyP99Ms)),
                    new Markup(Ms(c.NewP50Ms, c.NewP99Ms)),
                    new Markup(c.TokenExchangeWorks switch { true => "[green]works[/]", false => "[red]fails[/]", null => "no evidence" }),
                    new Markup(c.LastLegacyUse is { } t ? t.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "never seen"));
            }
            console.Write(table);
        }
        if (empty)
            console.MarkupLine("The usage ledger is empty: run `keyshift gateway` in front of the legacy API to collect evidence.");
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string P(double p) => p.ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Ms(double? p50, double? p99) =>
        p50 is null ? "" : string.Create(CultureInfo.InvariantCulture, $"≤{p50}ms / ≤{p99}ms");
}
