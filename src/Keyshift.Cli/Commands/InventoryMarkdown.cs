using System.Text;
using Keyshift.Inventory;

namespace Keyshift.Cli.Commands;

/// <summary>The inventory as Markdown tables, for a pull request or a wiki page.</summary>
internal static class InventoryMarkdown
{
    public static string Write(InventoryReport report)
    {
        var md = new StringBuilder("# Secret inventory\n\n");
        md.Append($"{report.Secrets.Count} secret(s) in {report.Stores.Count} store(s), {report.Hardcoded.Count} hardcoded, {report.Findings.Count} finding(s).\n\n");
        md.Append("## Secrets\n\n| Secret | Type | Fingerprint | Age | Owner | Consumers |\n| --- | --- | --- | --- | --- | --- |\n");
        foreach (var s in report.Secrets)
            md.Append($"| {Cell(s.Address.ToString())} | {s.StoreType} | `{s.Fingerprint.Short}` | {InventoryCommand.AgeText(s, report.Now)} | {Cell(s.Owner ?? "-")} | {Cell(s.Consumers.Count > 0 ? string.Join(", ", s.Consumers) : "-")} |\n");
        if (report.Hardcoded.Count > 0)
        {
            md.Append("\n## Hardcoded\n\n| Location | Rule | Fingerprint | Secret |\n| --- | --- | --- | --- |\n");
            foreach (var f in report.Hardcoded)
                md.Append($"| {Cell(f.Location.ToString())} | {f.RuleId} | `{f.Fingerprint?.Short}` | {Cell(f.Masked ?? "")} |\n");
        }
        md.Append("\n## Findings\n\n");
        if (report.Findings.Count == 0)
            return md.Append("None.\n").ToString();
        md.Append("| Risk | Kind | Finding |\n| --- | --- | --- |\n");
        foreach (var f in report.Findings)
            md.Append($"| {f.Risk} {f.Title} | {f.Kind} | {Cell(f.Message)} |\n");
        return md.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
