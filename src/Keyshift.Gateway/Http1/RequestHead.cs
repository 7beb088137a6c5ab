using System.Buffers;
using System.Text;

namespace Keyshift.Gateway.Http1;

/// <summary>
/// A client's HTTP/1.1 request head as the fast lane accepts it. The parser is deliberately strict: it accepts only
/// the plain, unambiguous form (origin-form target, <c>HTTP/1.1</c>, one <c>Host</c>, ASCII header values, at most a
/// decimal <c>Content-Length</c>) and calls everything else <see cref="HeadStatus.Unsupported"/> — chunked or
/// <c>Expect</c> requests, upgrades, HTTP/2 prefaces, obs-fold, dot segments, percent-encoded paths, oversized heads.
/// Those go to Kestrel, which answers or rejects them as a full HTTP server does, so nothing the lane reads can be
/// read differently by the server behind it (no request smuggling through the lane).
/// </summary>
internal sealed class RequestHead
{
    /// <summary>Largest head the lane reads (Kestrel's default header limit); a larger one goes to Kestrel, which answers 431.</summary>
    public const int MaxLength = 32 * 1024;

    private const int MaxHeaders = 100;

    /// <summary>Kestrel's default body limit: a larger declared body goes to Kestrel, which answers 413.</summary>
    private const long MaxBody = 30_000_000;

    private byte[] _data = new byte[1024];
    private readonly List<(int NameStart, int NameLength, int ValueStart, int ValueLength)> _headers = new(16);

    /// <summary>Bytes of the head, its final empty line included.</summary>
    public int Length { get; private set; }

    public string Method { get; private set; } = "";

    /// <summary>The origin-form target as sent: path and query.</summary>
    public string Target { get; private set; } = "";

    public string Path { get; private set; } = "";

    /// <summary>The query with its <c>?</c>, or empty.</summary>
    public string Query { get; private set; } = "";

    public string Host { get; private set; } = "";

    /// <summary>-1 without a Content-Length (no body: chunked requests are not the lane's).</summary>
    public long ContentLength { get; private set; }

    /// <summary>False when the client sent <c>Connection: close</c>.</summary>
    public bool KeepAlive { get; private set; }

    /// <summary>Extra hop-by-hop header names the client's <c>Connection</c> header lists (lower case), or null.</summary>
    public HashSet<string>? ConnectionNamed { get; private set; }

    public int HeaderCount => _headers.Count;

    public ReadOnlySpan<byte> Bytes => _data.AsSpan(0, Length);

    public ReadOnlySpan<byte> Name(int i) => _data.AsSpan(_headers[i].NameStart, _headers[i].NameLength);

    public ReadOnlySpan<byte> Value(int i) => _data.AsSpan(_headers[i].ValueStart, _headers[i].ValueLength);

    /// <summary>The whole header line (name, colon, value) without its line end.</summary>
    public ReadOnlySpan<byte> Line(int i) => _data.AsSpan(_headers[i].NameStart, _headers[i].ValueStart + _headers[i].ValueLength - _headers[i].NameStart);

    public string NameString(int i) => Encoding.ASCII.GetString(Name(i));

    public string ValueString(int i) => Encoding.ASCII.GetString(Value(i));

    /// <summary>The first value of the named header, or null; <paramref name="reuse"/> itself when the value equals it (no new string).</summary>
    public string? Get(string name, string? reuse = null)
    {
        for (var i = 0; i < _headers.Count; i++)
        {
            if (Ascii.EqualsIgnoreCase(Name(i), name))
                return reuse is not null && Ascii.Equals(Value(i), reuse) ? reuse : ValueString(i);
        }
        return null;
    }

    /// <summary>How many times the named header occurs.</summary>
    public int Count(string name)
    {
        var n = 0;
        for (var i = 0; i < _headers.Count; i++)
        {
            if (Ascii.EqualsIgnoreCase(Name(i), name))
                n++;
        }
        return n;
    }

    /// <summary>Reads a head from the start of <paramref name="buffer"/>; the parsed head stays valid until the next call.</summary>
    public HeadStatus TryParse(in ReadOnlySequence<byte> buffer)
    {
        ReadOnlySpan<byte> span;
        if (buffer.IsSingleSegment)
        {
            span = buffer.FirstSpan;
        }
        else
        {
            var length = (int)Math.Min(buffer.Length, MaxLength);
            if (_data.Length < length)
                _data = new byte[Math.Max(length, _data.Length * 2)];
            buffer.Slice(0, length).CopyTo(_data);
            span = _data.AsSpan(0, length);
        }
        var end = span.IndexOf("\r\n\r\n"u8);
        if (end < 0)
            return span.Length >= MaxLength || HasBareLineEnd(span) ? HeadStatus.Unsupported : HeadStatus.Incomplete;
        var length2 = end + 4;
        if (length2 > MaxLength)
            return HeadStatus.Unsupported;
        if (buffer.IsSingleSegment)
        {
            if (_data.Length < length2)
                _data = new byte[Math.Max(length2, _data.Length * 2)];
            span[..length2].CopyTo(_data);
        }
        Length = length2;
        return Parse(_data.AsSpan(0, length2)) ? HeadStatus.Complete : HeadStatus.Unsupported;
    }

    /// <summary>
    /// A CR or LF that is not part of a CRLF: such a head never ends in CRLFCRLF, so waiting for more would leave the
    /// client unanswered; Kestrel answers it instead.
    /// </summary>
    private static bool HasBareLineEnd(ReadOnlySpan<byte> span)
    {
        var i = 0;
        while (true)
        {
            var next = span[i..].IndexOfAny((byte)'\r', (byte)'\n');
            if (next < 0)
                return false;
            i += next;
            if (span[i] == (byte)'\n')
                return true;
            if (i + 1 == span.Length)
                return false; // a CR at the end: its LF may be on its way
            if (span[i + 1] != (byte)'\n')
                return true;
            i += 2;
        }
    }

    private bool Parse(ReadOnlySpan<byte> head)
    {
        _headers.Clear();
        ConnectionNamed = null;
        ContentLength = -1;
        KeepAlive = true;
        var lineEnd = head.IndexOf("\r\n"u8);
        var line = head[..lineEnd];
        var space = line.IndexOf((byte)' ');
        if (space <= 0 || !IsToken(line[..space]))
            return false;
        var rest = line[(space + 1)..];
        var space2 = rest.IndexOf((byte)' ');
        if (space2 <= 0 || !rest[(space2 + 1)..].SequenceEqual("HTTP/1.1"u8))
            return false;
        var target = rest[..space2];
        if (target[0] != (byte)'/' || !IsVisible(target))
            return false;
        var query = target.IndexOf((byte)'?');
        var path = query < 0 ? target : target[..query];
        // Kestrel decodes and normalises paths; the lane routes on the raw one, so it takes only paths that need neither.
        if (path.IndexOf((byte)'%') >= 0 || path.IndexOf("/."u8) >= 0 || path.IndexOf("//"u8) >= 0)
            return false;
        var method = line[..space];
        if (method.SequenceEqual("CONNECT"u8))
            return false;
        Method = KnownMethod(method) ?? Encoding.ASCII.GetString(method);
        // Clients on a kept-alive connection often repeat the target and always the host: the last strings are reused.
        if (!Ascii.Equals(target, Target))
        {
            Target = Encoding.ASCII.GetString(target);
            Path = Target[..path.Length];
            Query = Target[path.Length..];
        }
        var hosts = 0;
        var position = lineEnd + 2;
        while (position < head.Length - 2)
        {
            var remaining = head[position..];
            var end = remaining.IndexOf("\r\n"u8);
            var header = remaining[..end];
            var colon = header.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(header[..colon]) || _headers.Count == MaxHeaders)
                return false;
            var value = header[(colon + 1)..];
            var start = 0;
            while (start < value.Length && value[start] is (byte)' ' or (byte)'\t')
                start++;
            var stop = value.Length;
            while (stop > start && value[stop - 1] is (byte)' ' or (byte)'\t')
                stop--;
            value = value[start..stop];
            // Control characters (other than tab) and anything outside ASCII: Kestrel's rules apply, not ours.
            if (value.IndexOfAnyExcept(ValueChars) >= 0)
                return false;
            var name = header[..colon];
            if (!Accept(name, value, ref hosts))
                return false;
            _headers.Add((position, colon, position + colon + 1 + start, stop - start));
            position += end + 2;
        }
        return hosts == 1;
    }

    private bool Accept(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ref int hosts)
    {
        if (Ascii.EqualsIgnoreCase(name, "Host"u8))
        {
            hosts++;
            Host = Ascii.Equals(value, Host) ? Host : Encoding.ASCII.GetString(value);
            return value.Length > 0 && value.IndexOfAny("/?#@ "u8) < 0;
        }
        if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            if (ContentLength >= 0 || value.Length is 0 or > 15 || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
                return false;
            long length = 0;
            foreach (var digit in value)
                length = length * 10 + (digit - '0');
            ContentLength = length;
            return length <= MaxBody;
        }
        if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8) || Ascii.EqualsIgnoreCase(name, "Expect"u8) || Ascii.EqualsIgnoreCase(name, "Upgrade"u8))
            return false;
        if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
        {
            foreach (var range in value.Split((byte)','))
            {
                var token = value[range].Trim((byte)' ');
                if (token.Length == 0 || Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
                    continue;
                if (Ascii.EqualsIgnoreCase(token, "close"u8))
                    KeepAlive = false;
                else if (Ascii.EqualsIgnoreCase(token, "upgrade"u8) || Ascii.EqualsIgnoreCase(token, "HTTP2-Settings"u8))
                    return false;
                else
                    (ConnectionNamed ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(Encoding.ASCII.GetString(token));
            }
        }
        return true;
    }

    private static string? KnownMethod(ReadOnlySpan<byte> method) => method switch
    {
        _ when method.SequenceEqual("GET"u8) => "GET",
        _ when method.SequenceEqual("POST"u8) => "POST",
        _ when method.SequenceEqual("PUT"u8) => "PUT",
        _ when method.SequenceEqual("DELETE"u8) => "DELETE",
        _ when method.SequenceEqual("PATCH"u8) => "PATCH",
        _ when method.SequenceEqual("HEAD"u8) => "HEAD",
        _ when method.SequenceEqual("OPTIONS"u8) => "OPTIONS",
        _ => null,
    };

    private static readonly SearchValues<byte> ValueChars = SearchValues.Create([(byte)'\t', .. Enumerable.Range(0x20, 0x7F - 0x20).Select(b => (byte)b)]);

    private static readonly SearchValues<byte> TokenChars = SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>RFC 9110 token characters only.</summary>
    private static bool IsToken(ReadOnlySpan<byte> text) => text.Length > 0 && text.IndexOfAnyExcept(TokenChars) < 0;

    private static bool IsVisible(ReadOnlySpan<byte> text) => text.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) < 0;
}

internal enum HeadStatus
{
    Incomplete,
    Complete,
    Unsupported,
}
