using System.Text.Json;

namespace Keyshift.Scanning.Reports;

/// <summary>
/// <c>--format sarif</c>: SARIF 2.1.0 as GitHub code scanning takes it — driver rules with ids and
/// descriptions, results with ruleId, level, message, a relative artifact URI with start line and column,
/// and partialFingerprints (the keyed fingerprint, so an alert follows its secret, not its line).
/// </summary>
internal static class SarifReport
{
    // GitHub code scanning accepts at most this many results per run.
    public const int MaxResults = 25_000;

    public static void Write(ScanReport report, Stream output, string toolVersion)
    {
        var rules = report.Rules.Rules;
        var index = rules.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();

        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "keyshift");
        json.WriteString("informationUri", "https://github.com/keyshift/keyshift/blob/main/docs/scanning.md");
        json.WriteString("semanticVersion", toolVersion);
        json.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            json.WriteStartObject();
            json.WriteString("id", rule.Id);
            json.WriteString("name", Pascal(rule.Id));
            json.WriteStartObject("shortDescription");
            json.WriteString("text", rule.Description);
            json.WriteEndObject();
            json.WriteStartObject("fullDescription");
            json.WriteString("text", rule.Kind == FindingKind.Secret
                ? $"{rule.Description}. Move the value to a secret store and reference it instead."
                : $"{rule.Description}. A reference to a secret kept elsewhere; recorded for the dependency map.");
            json.WriteEndObject();
            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", rule.Kind == FindingKind.Secret ? "error" : "note");
            json.WriteEndObject();
            json.WriteStartObject("properties");
            json.WriteStartArray("tags");
            json.WriteStringValue("security");
            json.WriteStringValue(rule.Kind == FindingKind.Secret ? "secret" : "reference");
            json.WriteEndArray();
            if (rule.Kind == FindingKind.Secret)
                json.WriteString("security-severity", "9.0");
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("originalUriBaseIds");
        json.WriteStartObject("SRCROOT");
        json.WriteString("uri", new Uri(Path.TrimEndingDirectorySeparator(report.Root) + "/").AbsoluteUri);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteString("columnKind", "utf16CodeUnits");
        json.WriteStartArray("results");
        foreach (var finding in report.Findings.Take(MaxResults))
        {
            // Utf8JsonWriter holds everything until flushed; flushing as it goes keeps a large report out of memory.
            if (json.BytesPending > 64 * 1024)
                json.Flush();
            var hasRule = index.TryGetValue(finding.RuleId, out var ruleIndex);
            json.WriteStartObject();
            json.WriteString("ruleId", finding.RuleId);
            if (hasRule)
                json.WriteNumber("ruleIndex", ruleIndex);
            json.WriteString("level", finding.Kind == FindingKind.Secret ? "error" : "note");
            json.WriteStartObject("message");
            json.WriteString("text", ScanReport.Message(finding, hasRule ? rules[ruleIndex] : null));
            json.WriteEndObject();
            json.WriteStartArray("locations");
            json.WriteStartObject();
            json.WriteStartObject("physicalLocation");
            json.WriteStartObject("artifactLocation");
            json.WriteString("uri", RelativeUri(report, finding.Location.Path));
            json.WriteString("uriBaseId", "SRCROOT");
            json.WriteEndObject();
            json.WriteStartObject("region");
            json.WriteNumber("startLine", Math.Max(1, finding.Location.Line));
            json.WriteNumber("startColumn", Math.Max(1, finding.Location.Column));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartObject("partialFingerprints");
            json.WriteString("keyshift/v1", finding.Fingerprint?.Hex ?? $"{finding.RuleId}:{finding.ReferenceName}");
            json.WriteEndObject();
            if (finding.Location.Commit is { } commit)
            {
                json.WriteStartObject("properties");
                json.WriteString("commit", commit);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A URI reference relative to the scan root with '/' separators and each segment escaped.</summary>
    public static string RelativeUri(ScanReport report, string path)
    {
        var relative = report.PathsRelativeToRoot ? path : Path.GetRelativePath(report.Root, Path.GetFullPath(path));
        var normal = relative.Replace('\\', '/');
        if (Path.IsPathRooted(normal) || normal.StartsWith("../", StringComparison.Ordinal))
            return new Uri(Path.GetFullPath(path)).AbsoluteUri;
        while (normal.StartsWith("./", StringComparison.Ordinal))
            normal = normal[2..];
        return string.Join('/', normal.Split('/').Select(Uri.EscapeDataString));
    }

    private static string Pascal(string id) =>
        string.Concat(id.Split('-').Select(part => part.Length == 0 ? "" : char.ToUpperInvariant(part[0]) + part[1..]));
}
