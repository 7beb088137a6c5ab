using System.Text.Json;
using Keyshift.Inventory;

namespace Keyshift.Cli.Commands;

/// <summary>
/// <c>inventory --format json</c>, written object by object to the output. Serialising the whole report at once built
/// a 794 MB-peak process for 200,000 secrets; written as it goes, memory is the report itself.
/// </summary>
internal static class InventoryJson
{
    private const int FlushAt = 64 * 1024;

    public static void Write(InventoryReport report, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartArray("secrets");
        foreach (var s in report.Secrets)
        {
            json.WriteStartObject();
            json.WriteString("address", s.Address.ToString());
            json.WriteString("store", s.Address.Store);
            json.WriteString("type", s.StoreType);
            json.WriteString("fingerprint", s.Fingerprint.Hex);
            if (s.Since is { } since)
                json.WriteString("since", since);
            if (s.AgeSource is AgeSource.Staged or AgeSource.FileModified)
                json.WriteString("ageSource", s.AgeSource == AgeSource.Staged ? "staged" : "file-mtime");
            Optional(json, "owner", s.Owner);
            Optional(json, "move", s.MoveId);
            Strings(json, "consumers", s.Consumers);
            Strings(json, "environments", s.Environments);
            json.WriteEndObject();
            Flush(json);
        }
        json.WriteEndArray();
        json.WriteStartArray("hardcoded");
        foreach (var f in report.Hardcoded)
        {
            json.WriteStartObject();
            json.WriteString("rule", f.RuleId);
            json.WriteString("location", f.Location.ToString());
            Optional(json, "fingerprint", f.Fingerprint?.Hex);
            Optional(json, "masked", f.Masked);
            json.WriteEndObject();
            Flush(json);
        }
        json.WriteEndArray();
        json.WriteStartArray("references");
        foreach (var f in report.References)
        {
            json.WriteStartObject();
            json.WriteString("rule", f.RuleId);
            json.WriteString("location", f.Location.ToString());
            Optional(json, "name", f.ReferenceName);
            json.WriteEndObject();
            Flush(json);
        }
        json.WriteEndArray();
        json.WriteStartArray("dependencies");
        foreach (var d in report.Dependencies)
        {
            json.WriteStartObject();
            json.WriteString("consumer", d.Consumer);
            json.WriteString("secret", d.Secret);
            json.WriteString("kind", d.Kind);
            Optional(json, "location", d.Location);
            json.WriteEndObject();
            Flush(json);
        }
        json.WriteEndArray();
        json.WriteStartArray("findings");
        foreach (var f in report.Findings)
        {
            json.WriteStartObject();
            json.WriteString("risk", f.Risk);
            json.WriteString("title", f.Title);
            json.WriteString("kind", f.Kind);
            json.WriteString("subject", f.Subject);
            json.WriteString("message", f.Message);
            json.WriteEndObject();
            Flush(json);
        }
        json.WriteEndArray();
        json.WriteStartArray("notes");
        foreach (var n in report.Notes)
        {
            json.WriteStartObject();
            json.WriteString("path", n.Path);
            json.WriteString("reason", n.Reason);
            json.WriteBoolean("skipped", n.Skipped);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
            json.WriteString(name, value);
    }

    private static void Strings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
            json.WriteStringValue(value);
        json.WriteEndArray();
    }

    private static void Flush(Utf8JsonWriter json)
    {
        if (json.BytesPending > FlushAt)
            json.Flush();
    }
}
