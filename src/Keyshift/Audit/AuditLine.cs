using System.Buffers;
using System.Buffers.Text;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace Keyshift.Audit;

/// <summary>
/// The canonical form of an entry and the line that carries it. Canonical form: one JSON object, no
/// whitespace, properties in the order seq, time, actor, action, move, step, result, evidence; evidence
/// names in ordinal order; strings as UTF-8 with only <c>"</c>, <c>\</c> and U+0000–U+001F escaped
/// (<c>\"</c>, <c>\\</c>, <c>\u00xx</c> lower-case). The line is the canonical form with
/// <c>,"mac":"&lt;64 hex&gt;"</c> inserted before its closing brace.
/// </summary>
internal static class AuditLine
{
    public const int MacBytes = 32;

    public static void WriteCanonical(IBufferWriter<byte> output, long seq, DateTimeOffset time, string actor, string action, string move, string step, string result, AuditEvidence evidence)
    {
        Raw(output, "{\"seq\":"u8);
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(seq, span, out var written);
        output.Advance(written);
        Raw(output, ",\"time\":\""u8);
        span = output.GetSpan(32);
        time.UtcDateTime.TryFormat(span, out written, AuditTime.Pattern, System.Globalization.CultureInfo.InvariantCulture);
        output.Advance(written);
        Raw(output, "\",\"actor\":"u8);
        String(output, actor);
        Raw(output, ",\"action\":"u8);
        String(output, action);
        Raw(output, ",\"move\":"u8);
        String(output, move);
        Raw(output, ",\"step\":"u8);
        String(output, step);
        Raw(output, ",\"result\":"u8);
        String(output, result);
        Raw(output, ",\"evidence\":{"u8);
        var first = true;
        foreach (var (name, text) in evidence.Items)
        {
            if (!first)
                Raw(output, ","u8);
            first = false;
            String(output, name);
            Raw(output, ":"u8);
            String(output, text);
        }
        Raw(output, "}}"u8);
    }

    /// <summary>Writes the line (without its newline): the canonical form with the MAC as last property.</summary>
    public static void WriteLine(IBufferWriter<byte> output, ReadOnlySpan<byte> canonical, ReadOnlySpan<byte> mac)
    {
        Raw(output, canonical[..^1]);
        Raw(output, ",\"mac\":\""u8);
        var span = output.GetSpan(MacBytes * 2);
        Convert.TryToHexStringLower(mac, span, out var written);
        output.Advance(written);
        Raw(output, "\"}"u8);
    }

    /// <summary>
    /// Rebuilds the entry's canonical form into <paramref name="canonical"/> (left there for the MAC) and says
    /// whether <paramref name="line"/> is exactly the line that form and <paramref name="mac"/> make.
    /// </summary>
    public static bool IsCanonical(ReadOnlySpan<byte> line, AuditEntry entry, ReadOnlySpan<byte> mac, ArrayBufferWriter<byte> canonical, ArrayBufferWriter<byte> scratch)
    {
        canonical.ResetWrittenCount();
        WriteCanonical(canonical, entry.Seq, entry.Time, entry.Actor, entry.Action, entry.Move, entry.Step, entry.Result, entry.Evidence);
        scratch.ResetWrittenCount();
        WriteLine(scratch, canonical.WrittenSpan, mac);
        return line.SequenceEqual(scratch.WrittenSpan);
    }

    public static bool IsMacText(string text, bool allowEmpty = false)
    {
        if (text.Length == 0)
            return allowEmpty;
        if (text.Length != MacBytes * 2)
            return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
                return false;
        }
        return true;
    }

    /// <summary>
    /// Parses a line into an entry. Returns null with <paramref name="kind"/> <see cref="AuditProblemKind.Malformed"/>
    /// (not JSON) or <see cref="AuditProblemKind.UnknownLine"/> (JSON, but not an audit entry) and a reason.
    /// Does not check the canonical form or the MAC.
    /// </summary>
    public static AuditEntry? Parse(ReadOnlySpan<byte> line, out AuditProblemKind kind, out string? error)
    {
        kind = AuditProblemKind.UnknownLine;
        error = null;
        long? seq = null;
        string? time = null, actor = null, action = null, move = null, step = null, result = null, mac = null;
        ImmutableSortedDictionary<string, string>? evidence = null;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                while (reader.Read()) { }
                error = "not an audit entry: the line is not a JSON object";
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                var duplicate = false;
                switch (name)
                {
                    case "seq":
                        duplicate = seq is not null;
                        seq = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var s) ? s : -1;
                        break;
                    case "time": duplicate = time is not null; time = Text(ref reader); break;
                    case "actor": duplicate = actor is not null; actor = Text(ref reader); break;
                    case "action": duplicate = action is not null; action = Text(ref reader); break;
                    case "move": duplicate = move is not null; move = Text(ref reader); break;
                    case "step": duplicate = step is not null; step = Text(ref reader); break;
                    case "result": duplicate = result is not null; result = Text(ref reader); break;
                    case "mac": duplicate = mac is not null; mac = Text(ref reader); break;
                    case "evidence":
                        duplicate = evidence is not null;
                        evidence = Evidence(ref reader, out var evidenceError);
                        error ??= evidenceError;
                        break;
                    default:
                        reader.Skip();
                        error ??= $"not an audit entry: unexpected property '{name}'";
                        break;
                }
                if (duplicate)
                    error ??= $"not an audit entry: property '{name}' appears twice";
            }
            while (reader.Read()) { }
        }
        catch (JsonException e)
        {
            kind = AuditProblemKind.Malformed;
            error = $"malformed JSON ({FirstSentence(e.Message)})";
            return null;
        }
        if (error is not null)
            return null;
        error = Missing(seq, time, actor, action, move, step, result, evidence, mac);
        if (error is not null)
            return null;
        if (seq < 1)
            error = "not an audit entry: seq is not a positive whole number";
        else if (!AuditTime.TryParse(time!, out var at))
            error = "not an audit entry: time is not ISO-8601 UTC";
        else if (!IsMacText(mac!))
            error = "not an audit entry: mac is not 64 lower-case hex digits";
        else
            return new AuditEntry(seq!.Value, at, actor!, action!, move!, step!, result!, AuditEvidence.FromItems(evidence!), mac!);
        return null;
    }

    private static string? Missing(long? seq, string? time, string? actor, string? action, string? move, string? step, string? result, object? evidence, string? mac)
    {
        (string Name, bool Present)[] fields =
        [
            ("seq", seq is not null), ("time", time is not null), ("actor", actor is not null), ("action", action is not null),
            ("move", move is not null), ("step", step is not null), ("result", result is not null), ("evidence", evidence is not null), ("mac", mac is not null),
        ];
        foreach (var (name, present) in fields)
        {
            if (!present)
                return $"not an audit entry: property '{name}' is missing or not of the right type";
        }
        return null;
    }

    private static string? Text(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
            return reader.GetString();
        reader.Skip();
        return null;
    }

    private static ImmutableSortedDictionary<string, string>? Evidence(ref Utf8JsonReader reader, out string? error)
    {
        error = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        var items = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var text = Text(ref reader);
            if (text is null)
                error ??= $"not an audit entry: evidence '{name}' is not a string";
            else if (!AuditEvidence.IsName(name))
                error ??= $"not an audit entry: evidence name '{name}' is not allowed";
            else if (!items.TryAdd(name, text))
                error ??= $"not an audit entry: evidence '{name}' appears twice";
        }
        return items.ToImmutable();
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    private static void Raw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes) => output.Write(bytes);

    private static void String(IBufferWriter<byte> output, string text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var length = Encoding.UTF8.GetBytes(text, rented);
            var bytes = rented.AsSpan(0, length);
            Raw(output, "\""u8);
            var start = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];
                if (b >= 0x20 && b != (byte)'"' && b != (byte)'\\')
                    continue;
                Raw(output, bytes[start..i]);
                if (b == (byte)'"')
                    Raw(output, "\\\""u8);
                else if (b == (byte)'\\')
                    Raw(output, "\\\\"u8);
                else
                {
                    Raw(output, "\\u00"u8);
                    Raw(output, [Hex[b >> 4], Hex[b & 0xf]]);
                }
                start = i + 1;
            }
            Raw(output, bytes[start..]);
            Raw(output, "\""u8);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
