using System.CommandLine;
using System.Text;
using Keyshift.Execution;
using Keyshift.Inventory;
using Spectre.Console;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift inventory</c>: every stored secret, hardcoded copies and references, the dependency map, and NHI findings.</summary>
internal static class InventoryCommand
{
    public static Command Create(CliContext context)
    {
        var config = CommonOptions.Config();
        var scan = new Option<string[]>("--scan")
        {
            Description = "Files or folders to scan too (repeatable): hardcoded copies of stored secrets, and references that tie consumers to secrets.",
            AllowMultipleArgumentsPerToken = true,
        };
        var format = CommonOptions.Format("table", "json", "md");
        var graph = new Option<string>("--graph") { Description = "Write the dependency map (consumers → secrets → stores) instead of the inventory: dot, mermaid or json." };
        graph.AcceptOnlyFromAmong("dot", "mermaid", "json");
        var output = new Option<FileInfo>("--out") { Description = "Write the --graph export to this file instead of standard output." };
        var command = new Command("inventory",
            "List every secret across the configured stores (fingerprint, age, owner, consumers; never values), plus what --scan finds, " +
            "with findings mapped to the OWASP Non-Human Identities Top 10 (2025): reuse (NHI9), shared across environments (NHI8), " +
            "older than policy.maxAge (NHI7), no owner (NHI1), hardcoded secrets and copies of stored ones (NHI2). Exit 1 when there are findings.")
        {
            config, scan, format, graph, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var migration = Migration.Open(parse.GetValue(config)!.FullName, context.Time);
            var report = await InventoryBuilder.BuildAsync(migration, parse.GetValue(scan) ?? [], ct);
            if (parse.GetValue(graph) is { } kind)
            {
                if (parse.GetValue(output) is { } file)
                {
                    Directory.CreateDirectory(file.DirectoryName!);
                    await using (var stream = new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
                        GraphExport.Write(report, kind, stream);
                    context.Error.WriteLine($"wrote {file.FullName}");
                }
                else
                {
                    using var stream = OutputStream.Over(context.Output);
                    GraphExport.Write(report, kind, stream);
                }
                return ExitCodes.Success;
            }
            switch (parse.GetValue(format))
            {
                case "json": WriteJson(context, report); break;
                case "md": WriteMarkdown(context, report); break;
                default: WriteTable(context, report); break;
            }
            return report.Findings.Count > 0 ? ExitCodes.Found : ExitCodes.Success;
        });
        return command;
    }

    private const int PlainTableAbove = 2000;

    internal static string AgeText(InventorySecret secret, DateTimeOffset now) => secret.Since is { } since
        ? $"{Age.Format(now - since)} ({(secret.AgeSource == AgeSource.Staged ? "staged" : "file mtime")})"
        : "unknown";

    private static void WriteJson(CliContext context, InventoryReport report)
    {
        using (var stream = OutputStream.Over(context.Output))
            InventoryJson.Write(report, stream);
        context.Output.WriteLine();
    }

    private static void WriteMarkdown(CliContext context, InventoryReport report)
    {
        using var stream = OutputStream.Over(context.Output);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024);
        InventoryMarkdown.Write(report, writer);
    }

    private static void WriteTable(CliContext context, InventoryReport report)
    {
        var console = context.Console;
        if (report.Secrets.Count > PlainTableAbove)
        {
            // Spectre lays out a table in memory before it writes a line; past a few thousand rows plain columns are seconds faster.
            PlainTable.Write(context.Output, ["Secret", "Type", "Fingerprint", "Age", "Owner", "Consumers"], report.Secrets.Select(s => new[]
            {
                s.Address.ToString(), s.StoreType, s.Fingerprint.Short, AgeText(s, report.Now), s.Owner ?? "-", s.Consumers.Count > 0 ? string.Join(", ", s.Consumers) : "-",
            }));
        }
        else if (report.Secrets.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumns("Secret", "Type", "Fingerprint", "Age", "Owner", "Consumers");
            foreach (var s in report.Secrets)
            {
                table.AddRow(
                    new Text(s.Address.ToString()), new Text(s.StoreType), new Text(s.Fingerprint.Short),
                    new Text(AgeText(s, report.Now)), new Text(s.Owner ?? "-"), new Text(s.Consumers.Count > 0 ? string.Join(", ", s.Consumers) : "-"));
            }
            console.Write(table);
        }
        if (report.Hardcoded.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumns("Hardcoded at", "Rule", "Fingerprint", "Secret");
            foreach (var f in report.Hardcoded)
                table.AddRow(new Text(f.Location.ToString()), new Text(f.RuleId), new Text(f.Fingerprint?.Short ?? ""), new Text(f.Masked ?? ""));
            console.Write(table);
        }
        if (report.Findings.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumns("Risk", "Kind", "Finding");
            foreach (var f in report.Findings)
                table.AddRow(new Text($"{f.Risk} {f.Title}"), new Text(f.Kind), new Text(f.Message));
            console.Write(table);
        }
        var summary = new StringBuilder($"{report.Secrets.Count} secret(s) in {report.Stores.Count} store(s)");
        if (report.Hardcoded.Count + report.References.Count > 0)
            summary.Append($", {report.Hardcoded.Count} hardcoded, {report.References.Count} reference(s)");
        summary.Append($", {report.Findings.Count} finding(s)");
        console.WriteLine(summary.ToString());
    }
}
