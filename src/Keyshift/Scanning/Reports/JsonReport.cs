using System.Text.Json;

namespace Keyshift.Scanning.Reports;

/// <summary><c>--format json</c>: findings, skipped inputs and counts. Never a secret's characters.</summary>
internal static class JsonReport
{
    public static void Write(ScanReport report, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartObject("summary");
        json.WriteNumber("secrets", report.SecretCount);
        json.WriteNumber("references", report.ReferenceCount);
        json.WriteNumber("suppressedByBaseline", report.Suppressed);
        json.WriteNumber("skipped", report.Notes.Count(n => n.Skipped));
        json.WriteEndObject();
        json.WriteStartArray("findings");
        foreach (var f in report.Findings)
        {
            // Utf8JsonWriter holds everything until flushed; flushing as it goes keeps a large report out of memory.
            if (json.BytesPending > 64 * 1024)
                json.Flush();
            json.WriteStartObject();
            json.WriteString("rule", f.RuleId);
            json.WriteString("kind", f.Kind == FindingKind.Secret ? "secret" : "reference");
            json.WriteString("path", f.Location.Path);
            json.WriteNumber("line", f.Location.Line);
            json.WriteNumber("column", f.Location.Column);
            if (f.Location.Commit is { } commit)
                json.WriteString("commit", commit);
            if (f.Fingerprint is { } fingerprint)
                json.WriteString("fingerprint", fingerprint.Hex);
            if (f.Masked is { } masked)
                json.WriteString("masked", masked);
            if (f.ReferenceName is { } name)
                json.WriteString("reference", name);
            if (f.Occurrences > 1)
                json.WriteNumber("occurrences", f.Occurrences);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("notes");
        foreach (var note in report.Notes)
        {
            json.WriteStartObject();
            json.WriteString("path", note.Path);
            json.WriteString("reason", note.Reason);
            json.WriteBoolean("skipped", note.Skipped);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
