namespace Keyshift.Audit;

/// <summary>Reads the end of the log backwards, so opening a log of a million lines does not read it all.</summary>
internal static class AuditTail
{
    private const int Block = 1 << 16;

    /// <summary>The offset just after the last newline in [<paramref name="from"/>, <paramref name="length"/>), or <paramref name="from"/> when there is none.</summary>
    public static long EndOfLastLine(Stream stream, long from, long length)
    {
        var buffer = new byte[Block];
        var end = length;
        while (end > from)
        {
            var size = (int)Math.Min(Block, end - from);
            var start = end - size;
            ReadExactly(stream, start, buffer.AsSpan(0, size));
            var newline = buffer.AsSpan(0, size).LastIndexOf((byte)'\n');
            if (newline >= 0)
                return start + newline + 1;
            end = start;
        }
        return from;
    }

    /// <summary>
    /// The offset where the <paramref name="lines"/>-th line before <paramref name="end"/> starts (end sits just
    /// after a newline); 0 when the log has fewer lines.
    /// </summary>
    public static long StartOfLastLines(Stream stream, long end, long lines)
    {
        var buffer = new byte[Block];
        // The newline that ends the last line is not a separator: skip it, then find `lines` newlines.
        var position = end - 1;
        var wanted = lines;
        while (position > 0)
        {
            var size = (int)Math.Min(Block, position);
            var start = position - size;
            var span = buffer.AsSpan(0, size);
            ReadExactly(stream, start, span);
            for (var i = size - 1; i >= 0; i--)
            {
                if (span[i] == (byte)'\n' && --wanted == 0)
                    return start + i + 1;
            }
            position = start;
        }
        return 0;
    }

    private static void ReadExactly(Stream stream, long offset, Span<byte> buffer)
    {
        stream.Position = offset;
        stream.ReadExactly(buffer);
    }
}
