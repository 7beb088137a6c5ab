using System.Buffers;
using System.Text;

namespace Keyshift.Gateway.Http1;

/// <summary>
/// An upstream's HTTP/1.x response head, parsed where it was received: status, header lines (as positions, copied
/// to the client unchanged) and how the body is framed. Anything that is not plainly HTTP/1.x is
/// <see cref="HeadStatus.Unsupported"/>, which the lane answers with 502.
/// </summary>
internal sealed class ResponseHead
{
    private readonly List<(int NameStart, int NameLength, int ValueStart, int ValueLength)> _headers = new(16);
    private byte[] _data = [];
    private int _start;
    private int _statusLineEnd;

    public int Status { get; private set; }

    /// <summary>Bytes of the head, its final empty line included.</summary>
    public int Length { get; private set; }

    /// <summary>-1 without one.</summary>
    public long ContentLength { get; private set; }

    public bool Chunked { get; private set; }

    /// <summary>The upstream closes the connection after this answer (HTTP/1.0, <c>Connection: close</c>, or a body that ends at close).</summary>
    public bool Close { get; private set; }

    public bool HasDate { get; private set; }

    public HashSet<string>? ConnectionNamed { get; private set; }

    public int HeaderCount => _headers.Count;

    /// <summary>Status code and reason phrase, as sent.</summary>
    public ReadOnlySpan<byte> StatusText => _data.AsSpan(_start + 9, _statusLineEnd - _start - 9);

    public ReadOnlySpan<byte> Name(int i) => _data.AsSpan(_headers[i].NameStart, _headers[i].NameLength);

    public ReadOnlySpan<byte> Line(int i) => _data.AsSpan(_headers[i].NameStart, _headers[i].ValueStart + _headers[i].ValueLength - _headers[i].NameStart);

    public string ValueString(int i) => Encoding.Latin1.GetString(_data, _headers[i].ValueStart, _headers[i].ValueLength);

    /// <summary>The named headers' values (several occurrences joined with a comma), for a shadow comparison.</summary>
    public Dictionary<string, string> Chosen(IReadOnlyList<string> names)
    {
        var chosen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < _headers.Count && names.Count > 0; i++)
        {
            foreach (var name in names)
            {
                if (Ascii.EqualsIgnoreCase(Name(i), name))
                    chosen[name] = chosen.TryGetValue(name, out var before) ? before + ", " + ValueString(i) : ValueString(i);
            }
        }
        return chosen;
    }

    /// <summary>Whether the answer to a request with this method has a body at all.</summary>
    public bool HasBody(string method) => method != "HEAD" && Status is not (204 or 304) && (Chunked || ContentLength != 0);

    /// <summary>A body that ends only when the upstream closes the connection.</summary>
    public bool EndsAtClose(string method) => HasBody(method) && !Chunked && ContentLength < 0;

    public HeadStatus TryParse(byte[] data, int start, int end)
    {
        var span = data.AsSpan(start, end - start);
        var headEnd = span.IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
            return HeadStatus.Incomplete;
        (_data, _start, Length) = (data, start, headEnd + 4);
        _headers.Clear();
        ContentLength = -1;
        Chunked = Close = HasDate = false;
        ConnectionNamed = null;
        var head = span[..Length];
        var lineEnd = head.IndexOf("\r\n"u8);
        var line = head[..lineEnd];
        // HTTP/1.x SP 3DIGIT [SP reason]
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[7] is not ((byte)'0' or (byte)'1') || line[8] != ' '
            || !char.IsAsciiDigit((char)line[9]) || !char.IsAsciiDigit((char)line[10]) || !char.IsAsciiDigit((char)line[11])
            || line.Length > 12 && line[12] != ' ')
            return HeadStatus.Unsupported;
        Close = line[7] == '0';
        Status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        _statusLineEnd = start + lineEnd;
        var position = lineEnd + 2;
        while (position < head.Length - 2)
        {
            var remaining = head[position..];
            var length = remaining.IndexOf("\r\n"u8);
            var header = remaining[..length];
            var colon = header.IndexOf((byte)':');
            if (colon <= 0 || header[..colon].IndexOfAny(NotToken) >= 0)
                return HeadStatus.Unsupported;
            var value = header[(colon + 1)..];
            var from = 0;
            while (from < value.Length && value[from] is (byte)' ' or (byte)'\t')
                from++;
            var to = value.Length;
            while (to > from && value[to - 1] is (byte)' ' or (byte)'\t')
                to--;
            if (value.IndexOfAny((byte)'\0', (byte)'\n') >= 0 || value.IndexOf((byte)'\r') >= 0)
                return HeadStatus.Unsupported;
            if (!Framing(header[..colon], value[from..to]))
                return HeadStatus.Unsupported;
            _headers.Add((start + position, colon, start + position + colon + 1 + from, to - from));
            position += length + 2;
        }
        if (Chunked)
            ContentLength = -1;
        return HeadStatus.Complete;
    }

    private bool Framing(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            if (value.Length is 0 or > 15 || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
                return false;
            long length = 0;
            foreach (var digit in value)
                length = length * 10 + (digit - '0');
            if (ContentLength >= 0 && ContentLength != length)
                return false;
            ContentLength = length;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
        {
            // Only a final "chunked" frames the body; any other coding runs to the connection's close.
            var last = value[(value.LastIndexOf((byte)',') + 1)..].Trim((byte)' ');
            Chunked = Ascii.EqualsIgnoreCase(last, "chunked"u8);
            if (!Chunked)
                Close = true;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
        {
            foreach (var range in value.Split((byte)','))
            {
                var token = value[range].Trim((byte)' ');
                if (Ascii.EqualsIgnoreCase(token, "close"u8))
                    Close = true;
                else if (token.Length > 0 && !Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
                    (ConnectionNamed ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(Encoding.ASCII.GetString(token));
            }
        }
        else if (Ascii.EqualsIgnoreCase(name, "Date"u8))
        {
            HasDate = true;
        }
        return true;
    }

    private static readonly SearchValues<byte> NotToken = SearchValues.Create(
        [.. Enumerable.Range(0, 256).Select(b => (byte)b).Where(b => !"!#$%&'*+-.^_`|~".Contains((char)b) && !char.IsAsciiLetterOrDigit((char)b))]);
}
