namespace Keyshift.Stores.Dotenv;

/// <summary>
/// Reads the dotenv dialect of Docker Compose env files, without interpolation: <c>export </c> prefix,
/// <c>#</c> comment lines, unquoted values trimmed and ended by <c> #</c>, literal single quotes, double
/// quotes with <c>\n \t \r \" \\</c> that may span lines. Works on bytes so untouched text is never re-encoded.
/// </summary>
internal static class DotenvParser
{
    /// <summary>Parses <paramref name="content"/>; malformed lines and duplicate keys throw a <see cref="StoreException"/>
    /// whose message starts with <c>file:line</c> and names <paramref name="owner"/> (e.g. <c>store 'legacy'</c>).</summary>
    public static DotenvFile Parse(string path, byte[] content, string owner)
    {
        var entries = new List<DotenvEntry>();
        var index = new Dictionary<string, DotenvEntry>(StringComparer.Ordinal);
        var span = content.AsSpan();
        var pos = span.StartsWith("\uFEFF"u8) ? 3 : 0;
        var line = 1;
        while (pos < span.Length)
        {
            var entry = ParseLine(span, pos, line, path, owner);
            if (entry is null)
            {
                var (_, next) = LineBounds(span, pos);
                pos = next;
                line++;
                continue;
            }
            if (!index.TryAdd(entry.Key, entry))
                throw Error(path, entry.Line, owner, $"duplicate key '{entry.Key}' (first at {path}:{index[entry.Key].Line})");
            entries.Add(entry);
            pos = entry.SpanEnd;
            line = entry.EndLine + 1;
        }
        return new DotenvFile(path, content, entries, index);
    }

    /// <summary>The end of the line's text (before CR LF or LF) and the start of the next line.</summary>
    private static (int ContentEnd, int Next) LineBounds(ReadOnlySpan<byte> span, int from)
    {
        var lf = span[from..].IndexOf((byte)'\n');
        if (lf < 0)
            return (span.Length, span.Length);
        var end = from + lf;
        var contentEnd = end > from && span[end - 1] == '\r' ? end - 1 : end;
        return (contentEnd, end + 1);
    }

    private static DotenvEntry? ParseLine(ReadOnlySpan<byte> span, int lineStart, int line, string path, string owner)
    {
        var (contentEnd, next) = LineBounds(span, lineStart);
        var p = SkipBlanks(span, lineStart, contentEnd);
        if (p == contentEnd || span[p] == '#')
            return null;

        var hasExport = false;
        if (span[p..contentEnd].StartsWith("export"u8) && p + 6 < contentEnd && IsBlank(span[p + 6]))
        {
            hasExport = true;
            p = SkipBlanks(span, p + 6, contentEnd);
        }

        var keyStart = p;
        while (p < contentEnd && IsKeyByte(span[p]))
            p++;
        var keyEnd = p;
        p = SkipBlanks(span, p, contentEnd);
        if (p == contentEnd)
            throw Error(path, line, owner, "expected KEY=value: the line has no '='");
        if (span[p] != '=' || keyEnd == keyStart)
            throw Error(path, line, owner, "invalid key: a key starts with a letter or '_' and holds only letters, digits, '_', '.' and '-'");
        if (!IsKeyStart(span[keyStart]))
            throw Error(path, line, owner, "invalid key: a key starts with a letter or '_'");
        var key = System.Text.Encoding.ASCII.GetString(span[keyStart..keyEnd]);
        var afterEquals = p + 1;

        var q = SkipBlanks(span, afterEquals, contentEnd);
        if (q < contentEnd && span[q] is (byte)'"' or (byte)'\'')
            return ParseQuoted(span, key, line, lineStart, q, hasExport, path, owner);

        // Unquoted: a '#' preceded by a blank starts a comment; "KEY=#x" keeps the '#', "KEY= # note" is empty.
        var end = contentEnd;
        for (var i = afterEquals + 1; i < contentEnd; i++)
        {
            if (span[i] == '#' && IsBlank(span[i - 1]))
            {
                end = i;
                break;
            }
        }
        var valueStart = SkipBlanks(span, afterEquals, end);
        var valueEnd = end;
        while (valueEnd > valueStart && IsBlank(span[valueEnd - 1]))
            valueEnd--;
        if (valueStart == valueEnd)
            valueStart = valueEnd = afterEquals;
        return new DotenvEntry(key, line, line, lineStart, valueStart, valueEnd, contentEnd, next, hasExport, 0);
    }

    private static DotenvEntry ParseQuoted(ReadOnlySpan<byte> span, string key, int line, int lineStart, int open, bool hasExport, string path, string owner)
    {
        var quote = span[open];
        var endLine = line;
        var close = -1;
        for (var i = open + 1; i < span.Length; i++)
        {
            var b = span[i];
            if (b == '\n')
                endLine++;
            else if (b == '\\' && quote == '"' && i + 1 < span.Length && span[i + 1] != '\n')
                i++;
            else if (b == quote)
            {
                close = i;
                break;
            }
        }
        if (close < 0)
            throw Error(path, line, owner, $"unterminated {(quote == '"' ? "double" : "single")} quote");
        var lastLineStart = span[..close].LastIndexOf((byte)'\n') + 1;
        var (contentEnd, next) = LineBounds(span, Math.Max(lastLineStart, lineStart));
        var rest = SkipBlanks(span, close + 1, contentEnd);
        if (rest < contentEnd && span[rest] != '#')
            throw Error(path, endLine, owner, "unexpected text after the closing quote (only a '#' comment may follow)");
        return new DotenvEntry(key, line, endLine, lineStart, open, close + 1, contentEnd, next, hasExport, quote);
    }

    private static int SkipBlanks(ReadOnlySpan<byte> span, int from, int to)
    {
        while (from < to && IsBlank(span[from]))
            from++;
        return from;
    }

    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t';

    private static bool IsKeyStart(byte b) => b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or (byte)'_';

    private static bool IsKeyByte(byte b) => IsKeyStart(b) || b is >= (byte)'0' and <= (byte)'9' or (byte)'.' or (byte)'-';

    /// <summary>True when <paramref name="key"/> is a key this dialect can hold.</summary>
    public static bool IsValidKey(string key)
    {
        if (key.Length == 0 || key[0] > 127 || !IsKeyStart((byte)key[0]))
            return false;
        foreach (var c in key)
        {
            if (c > 127 || !IsKeyByte((byte)c))
                return false;
        }
        return true;
    }

    private static StoreException Error(string path, int line, string owner, string message) =>
        new($"{path}:{line}: {owner}: {message}");
}
