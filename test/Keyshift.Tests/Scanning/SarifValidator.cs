using System.Text.Json;

namespace Keyshift.Tests.Scanning;

/// <summary>
/// The parts of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json) a scanner's log must satisfy — required
/// properties and their JSON types — plus GitHub code scanning's own demands: a ruleId on every result
/// that names a driver rule, a relative artifact URI, a 1-based start line, partialFingerprints.
/// </summary>
internal static class SarifValidator
{
    private static readonly string[] Levels = ["none", "note", "warning", "error"];

    public static List<string> Validate(JsonElement log)
    {
        var problems = new List<string>();
        Require(log, "version", JsonValueKind.String, "log", problems);
        if (log.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String && version.GetString() != "2.1.0")
            problems.Add("log.version must be 2.1.0");
        if (log.TryGetProperty("$schema", out var schema) && (schema.ValueKind != JsonValueKind.String || !Uri.IsWellFormedUriString(schema.GetString(), UriKind.Absolute)))
            problems.Add("log.$schema must be an absolute URI");
        if (!Require(log, "runs", JsonValueKind.Array, "log", problems))
            return problems;
        var r = 0;
        foreach (var run in log.GetProperty("runs").EnumerateArray())
            ValidateRun(run, $"runs[{r++}]", problems);
        return problems;
    }

    private static void ValidateRun(JsonElement run, string at, List<string> problems)
    {
        var ruleIds = new HashSet<string>(StringComparer.Ordinal);
        if (Require(run, "tool", JsonValueKind.Object, at, problems) && Require(run.GetProperty("tool"), "driver", JsonValueKind.Object, $"{at}.tool", problems))
        {
            var driver = run.GetProperty("tool").GetProperty("driver");
            if (!driver.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                problems.Add($"{at}.tool.driver.name is required (string)");
            if (driver.TryGetProperty("rules", out var rules))
            {
                var i = 0;
                foreach (var rule in rules.EnumerateArray())
                {
                    var ruleAt = $"{at}.tool.driver.rules[{i++}]";
                    if (Require(rule, "id", JsonValueKind.String, ruleAt, problems) && !ruleIds.Add(rule.GetProperty("id").GetString()!))
                        problems.Add($"{ruleAt}.id is not unique");
                    if (rule.TryGetProperty("shortDescription", out var shortDescription))
                        Require(shortDescription, "text", JsonValueKind.String, $"{ruleAt}.shortDescription", problems);
                    if (rule.TryGetProperty("fullDescription", out var fullDescription))
                        Require(fullDescription, "text", JsonValueKind.String, $"{ruleAt}.fullDescription", problems);
                    if (rule.TryGetProperty("defaultConfiguration", out var configuration) && configuration.TryGetProperty("level", out var level) && !Levels.Contains(level.GetString()))
                        problems.Add($"{ruleAt}.defaultConfiguration.level is not a SARIF level");
                }
            }
        }
        if (!run.TryGetProperty("results", out var results))
            return;
        if (results.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{at}.results must be an array");
            return;
        }
        var n = 0;
        foreach (var result in results.EnumerateArray())
            ValidateResult(result, $"{at}.results[{n++}]", ruleIds, problems);
    }

    private static void ValidateResult(JsonElement result, string at, HashSet<string> ruleIds, List<string> problems)
    {
        if (!result.TryGetProperty("message", out var message) || !message.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
            problems.Add($"{at}.message.text is required (string)");
        if (!result.TryGetProperty("ruleId", out var ruleId) || ruleId.ValueKind != JsonValueKind.String)
            problems.Add($"{at}.ruleId is required by GitHub");
        else if (!ruleIds.Contains(ruleId.GetString()!))
            problems.Add($"{at}.ruleId '{ruleId.GetString()}' names no driver rule");
        if (result.TryGetProperty("level", out var level) && !Levels.Contains(level.GetString()))
            problems.Add($"{at}.level is not a SARIF level");
        if (!result.TryGetProperty("partialFingerprints", out var fingerprints) || fingerprints.ValueKind != JsonValueKind.Object)
            problems.Add($"{at}.partialFingerprints is expected by GitHub to track alerts");
        if (!Require(result, "locations", JsonValueKind.Array, at, problems) || result.GetProperty("locations").GetArrayLength() == 0)
        {
            problems.Add($"{at}.locations needs at least one location for GitHub");
            return;
        }
        foreach (var location in result.GetProperty("locations").EnumerateArray())
        {
            if (!location.TryGetProperty("physicalLocation", out var physical))
            {
                problems.Add($"{at}.locations[].physicalLocation is required by GitHub");
                continue;
            }
            if (!physical.TryGetProperty("artifactLocation", out var artifact) || !artifact.TryGetProperty("uri", out var uri) || uri.ValueKind != JsonValueKind.String)
                problems.Add($"{at}.physicalLocation.artifactLocation.uri is required (string)");
            else if (!Uri.IsWellFormedUriString(uri.GetString(), UriKind.Relative) || uri.GetString()!.StartsWith('/'))
                problems.Add($"{at}.physicalLocation.artifactLocation.uri must be a relative URI reference (relative to the repository root), got '{uri.GetString()}'");
            if (!physical.TryGetProperty("region", out var region) || !region.TryGetProperty("startLine", out var startLine) || startLine.ValueKind != JsonValueKind.Number || startLine.GetInt32() < 1)
                problems.Add($"{at}.physicalLocation.region.startLine must be an integer ≥ 1");
            if (physical.TryGetProperty("region", out var r) && r.TryGetProperty("startColumn", out var column) && (column.ValueKind != JsonValueKind.Number || column.GetInt32() < 1))
                problems.Add($"{at}.physicalLocation.region.startColumn must be an integer ≥ 1");
        }
    }

    private static bool Require(JsonElement parent, string name, JsonValueKind kind, string at, List<string> problems)
    {
        if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == kind)
            return true;
        problems.Add($"{at}.{name} is required ({kind.ToString().ToLowerInvariant()})");
        return false;
    }
}
