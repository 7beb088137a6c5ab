using System.Text.Json;
using Keyshift.Configuration;

namespace Keyshift.Audit;

/// <summary>
/// A point of the audit chain — entry count and the MAC of the last entry — meant to be kept outside the
/// workspace. A log that no longer holds this prefix unchanged was truncated or rewritten, even when
/// state.db was rolled back with it.
/// </summary>
public sealed record AuditCheckpoint(long Count, string HeadMac, DateTimeOffset Time)
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("count", Count);
        writer.WriteString("headMac", HeadMac);
        writer.WriteString("time", AuditTime.Format(Time));
        writer.WriteEndObject();
    }

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a checkpoint object (<c>count</c>, <c>headMac</c>, <c>time</c>); null and a reason when it is not one.</summary>
    public static AuditCheckpoint? TryRead(JsonElement element, out string? error)
    {
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "a checkpoint is a JSON object with count, headMac and time";
            return null;
        }
        if (!element.TryGetProperty("count", out var count) || count.ValueKind != JsonValueKind.Number || !count.TryGetInt64(out var n) || n < 0)
        {
            error = "count: expected a whole number of entries";
            return null;
        }
        if (!element.TryGetProperty("headMac", out var mac) || mac.ValueKind != JsonValueKind.String || !AuditLine.IsMacText(mac.GetString()!, allowEmpty: n == 0))
        {
            error = "headMac: expected 64 lower-case hex digits";
            return null;
        }
        var time = DateTimeOffset.MinValue;
        if (element.TryGetProperty("time", out var t) && (t.ValueKind != JsonValueKind.String || !AuditTime.TryParse(t.GetString()!, out time)))
        {
            error = $"time: expected ISO-8601 UTC like {AuditTime.Format(DateTimeOffset.UnixEpoch)}";
            return null;
        }
        return new AuditCheckpoint(n, mac.GetString()!, time);
    }

    /// <summary>
    /// Reads a checkpoint file: a bare checkpoint object, a <c>json</c> export (its <c>checkpoint</c>), or a
    /// <c>jsonl</c> export (its last line). Bad input names the file.
    /// </summary>
    public static AuditCheckpoint ReadFile(string path)
    {
        if (!File.Exists(path))
            throw new BadInputException(null, "--checkpoint", $"{path} does not exist");
        JsonElement root;
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            root = LastLine(path);
        }
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("checkpoint", out var inner))
            root = inner;
        return TryRead(root, out var error) ?? throw new BadInputException(new SourceLocation(path, 1), "checkpoint", error!);
    }

    private static JsonElement LastLine(string path)
    {
        string? last = null;
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
                last = line;
        }
        try
        {
            using var document = JsonDocument.Parse(last ?? "");
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new BadInputException(new SourceLocation(path, number), "checkpoint", $"not a checkpoint, a json export or a jsonl export: {e.Message}");
        }
    }
}
