using System.Text.Json;
using Keyshift.Apis.Diff;

namespace Keyshift.Apis.Reports;

/// <summary>SARIF 2.1.0: one result per change, located at the new document's line, or the old one's for removals.</summary>
internal static class SarifReport
{
    public static void Write(IReadOnlyList<ApiChange> shown, TextWriter output, string toolVersion)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();
            json.WriteStartObject("tool");
            json.WriteStartObject("driver");
            json.WriteString("name", "keyshift api diff");
            json.WriteString("version", toolVersion);
            json.WriteString("informationUri", "https://github.com/keyshift/keyshift/blob/main/docs/api-diff.md");
            json.WriteStartArray("rules");
            foreach (var check in ApiChecks.All)
            {
                json.WriteStartObject();
                json.WriteString("id", check.Id);
                json.WriteString("name", check.Name);
                json.WriteStartObject("shortDescription");
                json.WriteString("text", check.Summary);
                json.WriteEndObject();
                json.WriteStartObject("defaultConfiguration");
                json.WriteString("level", Level(check.Severity));
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("results");
            foreach (var change in shown)
            {
                json.WriteStartObject();
                json.WriteString("ruleId", change.Check.Id);
                json.WriteString("level", Level(change.Severity));
                json.WriteStartObject("message");
                json.WriteString("text", change.Message);
                json.WriteEndObject();
                json.WriteStartArray("locations");
                Location(json, change.Primary);
                json.WriteEndArray();
                var other = ReferenceEquals(change.Primary, change.New) ? change.Old : change.New;
                if (other is not null)
                {
                    json.WriteStartArray("relatedLocations");
                    Location(json, other);
                    json.WriteEndArray();
                }
                json.WriteStartObject("properties");
                json.WriteString("severity", change.Severity.Name());
                json.WriteStartArray("operations");
                foreach (var operation in change.Operations)
                    json.WriteStringValue(operation);
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static string Level(Severity severity) => severity switch
    {
        Severity.Breaking => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    private static void Location(Utf8JsonWriter json, ApiLocation location)
    {
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", location.File.Replace('\\', '/'));
        json.WriteEndObject();
        json.WriteStartObject("region");
        json.WriteNumber("startLine", Math.Max(1, location.Line));
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("logicalLocations");
        json.WriteStartObject();
        json.WriteString("fullyQualifiedName", "#" + location.Pointer);
        json.WriteString("kind", "member");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
