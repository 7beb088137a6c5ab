using System.Buffers;

namespace Keyshift.Stores.Json;

/// <summary>The little JSON lexing and writing a splice needs: quoted strings, whitespace and comments between tokens.</summary>
internal static class JsonText
{
    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    /// <summary>Writes a JSON string: quotes, backslashes and control characters escaped; all other UTF-8 as is.</summary>
    public static void WriteString(ReadOnlySpan<byte> utf8, IBufferWriter<byte> output)
    {
        output.Write("\""u8);
        var start = 0;
        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (b >= 0x20 && b != '"' && b != '\\')
                continue;
            output.Write(utf8[start..i]);
            switch (b)
            {
                case (byte)'"': output.Write("\\\""u8); break;
                case (byte)'\\': output.Write("\\\\"u8); break;
                case (byte)'\n': output.Write("\\n"u8); break;
                case (byte)'\r': output.Write("\\r"u8); break;
                case (byte)'\t': output.Write("\\t"u8); break;
                case (byte)'\b': output.Write("\\b"u8); break;
                case (byte)'\f': output.Write("\\f"u8); break;
                default:
                    output.Write("\\u00"u8);
                    output.Write([HexDigits[b >> 4], HexDigits[b & 0xF]]);
                    break;
            }
            start = i + 1;
        }
        output.Write(utf8[start..]);
        output.Write("\""u8);
    }

    public static void WriteString(string text, IBufferWriter<byte> output) =>
        WriteString(System.Text.Encoding.UTF8.GetBytes(text), output);

    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    /// <summary>The offset of the first byte at or after <paramref name="from"/> that is neither whitespace nor inside a comment.</summary>
    public static int SkipTrivia(ReadOnlySpan<byte> content, int from)
    {
        var p = from;
        while (p < content.Length)
        {
            if (IsWhitespace(content[p]))
                p++;
            else if (content[p..].StartsWith("//"u8))
            {
                var lf = content[p..].IndexOf((byte)'\n');
                p = lf < 0 ? content.Length : p + lf + 1;
            }
            else if (content[p..].StartsWith("/*"u8))
            {
                var end = content[(p + 2)..].IndexOf("*/"u8);
                p = end < 0 ? content.Length : p + 2 + end + 2;
            }
            else
                break;
        }
        return p;
    }

    /// <summary>The offset where the run of whitespace ending at <paramref name="before"/> starts.</summary>
    public static int WhitespaceStart(ReadOnlySpan<byte> content, int before)
    {
        while (before > 0 && IsWhitespace(content[before - 1]))
            before--;
        return before;
    }

    /// <summary>The blanks at the start of the line holding <paramref name="offset"/>.</summary>
    public static ReadOnlySpan<byte> LineIndent(ReadOnlySpan<byte> content, int offset)
    {
        var lineStart = content[..offset].LastIndexOf((byte)'\n') + 1;
        var end = lineStart;
        while (end < content.Length && content[end] is (byte)' ' or (byte)'\t')
            end++;
        return content[lineStart..end];
    }
}
