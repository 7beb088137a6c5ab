using Keyshift.Inventory;

namespace Keyshift.Cli.Commands;

/// <summary>The inventory as Markdown tables, for a pull request or a wiki page.</summary>
internal static class InventoryMarkdown
{
    /// <summary>Writes the tables row by row (an inventory of 200,000 secrets is tens of megabytes).</summary>
    public static void Write(InventoryReport report, TextWriter md)
    {
        md.Write("# Secret inventory\n\n");
        md.Write($"{report.Secrets.Count} secret(s) in {report.Stores.Count} store(s), {report.Hardcoded.Count} hardcoded, {report.Findings.Count} finding(s).\n\n");
        md.Write("## Secrets\n\n| Secret | Type | Fingerprint | Age | Owner | Consumers |\n| --- | --- | --- | --- | --- | --- |\n");
        foreach (var s in report.Secrets)
            md.Write($"| {Cell(s.Address.ToString())} | {s.StoreType} | `{s.Fingerprint.Short}` | {InventoryCommand.AgeText(s, report.Now)} | {Cell(s.Owner ?? "-")} | {Cell(s.Consumers.Count > 0 ? string.Join(", ", s.Consumers) : "-")} |\n");
        if (report.Hardcoded.Count > 0)
        {
            md.Write("\n## Hardcoded\n\n| Location | Rule | Fingerprint | Secret |\n| --- | --- | --- | --- |\n");
            foreach (var f in report.Hardcoded)
                md.Write($"| {Cell(f.Location.ToString())} | {f.RuleId} | `{f.Fingerprint?.Short}` | {Cell(f.Masked ?? "")} |\n");
        }
        md.Write("\n## Findings\n\n");
        if (report.Findings.Count == 0)
        {
            md.Write("None.\n");
            return;
        }
        md.Write("| Risk | Kind | Finding |\n| --- | --- | --- |\n");
        foreach (var f in report.Findings)
            md.Write($"| {f.Risk} {f.Title} | {f.Kind} | {Cell(f.Message)} |\n");
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
