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
                var text = kind switch { "dot" => GraphExport.Dot(report), "mermaid" => GraphExport.Mermaid(report), _ => GraphExport.Json(report) };
                if (parse.GetValue(output) is { } file)
                {
                    Directory.CreateDirectory(file.DirectoryName!);
                    await File.WriteAllTextAsync(file.FullName, text, ct);
                    context.Error.WriteLine($"wrote {file.FullName}");
                }
                else
                {
                    context.Output.Write(text);
                }
                return ExitCodes.Success;
            }
            switch (parse.GetValue(format))
            {
                case "json": WriteJson(context, report); break;
                case "md": context.Output.Write(InventoryMarkdown.Write(report)); break;
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

    private static void WriteJson(CliContext context, InventoryReport report) => context.WriteJson(new
    {
        secrets = report.Secrets.Select(s => new
        {
            address = s.Address.ToString(),
            store = s.Address.Store,
            type = s.StoreType,
            fingerprint = s.Fingerprint.Hex,
            since = s.Since,
            ageSource = s.AgeSource == AgeSource.Staged ? "staged" : s.AgeSource == AgeSource.FileModified ? "file-mtime" : null,
            owner = s.Owner,
            move = s.MoveId,
            consumers = s.Consumers,
            environments = s.Environments,
        }),
        hardcoded = report.Hardcoded.Select(f => new { rule = f.RuleId, location = f.Location.ToString(), fingerprint = f.Fingerprint?.Hex, masked = f.Masked }),
        references = report.References.Select(f => new { rule = f.RuleId, location = f.Location.ToString(), name = f.ReferenceName }),
        dependencies = report.Dependencies.Select(d => new { consumer = d.Consumer, secret = d.Secret, kind = d.Kind, location = d.Location }),
        findings = report.Findings.Select(f => new { risk = f.Risk, title = f.Title, kind = f.Kind, subject = f.Subject, message = f.Message }),
        notes = report.Notes.Select(n => new { path = n.Path, reason = n.Reason, skipped = n.Skipped }),
    });

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
