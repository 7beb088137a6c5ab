using System.Text.Json;
using Keyshift.Apis.Diff;

namespace Keyshift.Apis.Reports;

/// <summary>Machine-readable changes: one object per change with check, severity, message, operations and both locations.</summary>
internal static class JsonReport
{
    public static void Write(ApiDiffResult result, IReadOnlyList<ApiChange> shown, Severity failOn, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("old", result.Old.File);
            json.WriteString("new", result.New.File);
            json.WriteString("failOn", failOn.Name());
            json.WriteBoolean("failed", result.Fails(failOn));
            json.WriteStartObject("summary");
            foreach (var severity in new[] { Severity.Breaking, Severity.Warning, Severity.Info })
                json.WriteNumber(severity.Name(), result.Count(severity));
            json.WriteNumber("ignored", result.Ignored);
            json.WriteEndObject();
            json.WriteStartArray("changes");
            foreach (var change in shown)
            {
                json.WriteStartObject();
                json.WriteString("id", change.Check.Id);
                json.WriteString("check", change.Check.Name);
                json.WriteString("severity", change.Severity.Name());
                json.WriteString("message", change.Message);
                json.WriteStartArray("operations");
                foreach (var operation in change.Operations)
                    json.WriteStringValue(operation);
                json.WriteEndArray();
                Location(json, "oldLocation", change.Old);
                Location(json, "newLocation", change.New);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void Location(Utf8JsonWriter json, string name, ApiLocation? location)
    {
        if (location is null)
        {
            json.WriteNull(name);
            return;
        }
        json.WriteStartObject(name);
        json.WriteString("file", location.File);
        json.WriteString("pointer", "#" + location.Pointer);
        json.WriteNumber("line", location.Line);
        json.WriteEndObject();
    }
}
