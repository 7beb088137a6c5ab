using System.Text.Json;

namespace Keyshift.Audit;

/// <summary>Writes a verified log out: its entries (json or jsonl) and the checkpoint they end at.</summary>
public static class AuditExport
{
    public static IReadOnlyList<string> Formats { get; } = ["json", "jsonl", "checkpoint"];

    /// <summary>
    /// Writes the first <see cref="AuditVerification.Length"/> bytes of the log as <paramref name="format"/>:
    /// <c>jsonl</c> — the lines byte for byte, then <c>{"checkpoint":{…}}</c>; <c>json</c> —
    /// <c>{"checkpoint":{…},"entries":[…]}</c>; <c>checkpoint</c> — the checkpoint alone.
    /// </summary>
    public static void Write(Stream output, AuditVerification verified, AuditCheckpoint checkpoint, string format)
    {
        switch (format)
        {
            case "checkpoint":
                using (var writer = new Utf8JsonWriter(output))
                    checkpoint.WriteTo(writer);
                output.Write("\n"u8);
                break;
            case "jsonl":
                CopyLines(output, verified);
                using (var writer = new Utf8JsonWriter(output))
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName("checkpoint");
                    checkpoint.WriteTo(writer);
                    writer.WriteEndObject();
                }
                output.Write("\n"u8);
                break;
            case "json":
                WriteJson(output, verified, checkpoint);
                break;
            default:
                throw new ArgumentException($"unknown export format '{format}'", nameof(format));
        }
        output.Flush();
    }

    private static void CopyLines(Stream output, AuditVerification verified)
    {
        if (verified.Length == 0)
            return;
        using var stream = new FileStream(verified.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new byte[1 << 16];
        var left = verified.Length;
        while (left > 0)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
                throw new IOException($"{verified.Path} ended before the {verified.Length} bytes that were verified");
            output.Write(buffer, 0, read);
            left -= read;
        }
    }

    private static void WriteJson(Stream output, AuditVerification verified, AuditCheckpoint checkpoint)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WritePropertyName("checkpoint");
        checkpoint.WriteTo(writer);
        writer.WriteStartArray("entries");
        if (verified.Length > 0)
        {
            using var stream = new FileStream(verified.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            var reader = new AuditLineReader(stream, 0, verified.Length);
            while (reader.Read(out var line) == AuditLineStatus.Line)
            {
                var entry = AuditLine.Parse(line, out _, out _)
                    ?? throw new InvalidDataException($"{verified.Path}: a line that verified no longer parses: the log changed during the export");
                WriteEntry(writer, entry);
                if (writer.BytesPending > 1 << 16)
                    writer.Flush();
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        output.Write("\n"u8);
    }

    private static void WriteEntry(Utf8JsonWriter writer, AuditEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteNumber("seq", entry.Seq);
        writer.WriteString("time", AuditTime.Format(entry.Time));
        writer.WriteString("actor", entry.Actor);
        writer.WriteString("action", entry.Action);
        writer.WriteString("move", entry.Move);
        writer.WriteString("step", entry.Step);
        writer.WriteString("result", entry.Result);
        writer.WriteStartObject("evidence");
        foreach (var (name, text) in entry.Evidence.Items)
            writer.WriteString(name, text);
        writer.WriteEndObject();
        writer.WriteString("mac", entry.Mac);
        writer.WriteEndObject();
    }
}
