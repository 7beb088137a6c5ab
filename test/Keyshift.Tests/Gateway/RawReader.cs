using System.Text;

namespace Keyshift.Tests.Gateway;

/// <summary>
/// Reads HTTP/1.1 messages byte by byte from a stream, the way a strict peer would: head up to CRLFCRLF, then the
/// body as framed (Content-Length, chunked with extensions and trailers, or up to the close).
/// </summary>
public sealed class RawReader(Stream stream)
{
    private readonly byte[] _one = new byte[1];

    /// <summary>The next message, or null when the peer closed before sending a byte of it.</summary>
    public async Task<RawMessage?> ReadAsync(bool isResponse, string method = "GET", CancellationToken ct = default)
    {
        var head = await ReadHeadAsync(ct);
        if (head is null)
            return null;
        var lines = head.Split("\r\n");
        var headers = lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(':', 2)).Select(p => KeyValuePair.Create(p[0], p[1].Trim())).ToList();
        var message = new RawMessage(lines[0], headers, [], head);
        if (isResponse && (message.Status is 204 or 304 or < 200 || method == "HEAD"))
            return message;
        if (message.Get("Transfer-Encoding") is { } te && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            return message with { Body = await ReadChunkedAsync(ct) };
        if (message.Get("Content-Length") is { } length)
            return message with { Body = await ReadExactlyAsync(int.Parse(length, System.Globalization.CultureInfo.InvariantCulture), ct) };
        if (!isResponse)
            return message;
        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest, ct);
        return message with { Body = rest.ToArray() };
    }

    /// <summary>True when the peer closed the connection (read returned 0) — an abort surfaces as an IOException, also "closed".</summary>
    public async Task<bool> ClosedAsync(CancellationToken ct = default)
    {
        try
        {
            return await stream.ReadAsync(_one, ct) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task<string?> ReadHeadAsync(CancellationToken ct)
    {
        var head = new List<byte>();
        while (head.Count < 4 || head[^1] != '\n' || head[^2] != '\r' || head[^3] != '\n' || head[^4] != '\r')
        {
            if (await stream.ReadAsync(_one, ct) == 0)
                return head.Count == 0 ? null : throw new EndOfStreamException("closed in the middle of a head");
            head.Add(_one[0]);
        }
        return Encoding.Latin1.GetString(head.ToArray(), 0, head.Count - 4);
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        var line = new List<byte>();
        while (line.Count < 2 || line[^1] != '\n' || line[^2] != '\r')
        {
            if (await stream.ReadAsync(_one, ct) == 0)
                throw new EndOfStreamException("closed in the middle of a line");
            line.Add(_one[0]);
        }
        return Encoding.Latin1.GetString(line.ToArray(), 0, line.Count - 2);
    }

    private async Task<byte[]> ReadExactlyAsync(int length, CancellationToken ct)
    {
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, ct);
        return body;
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken ct)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var size = Convert.ToInt32((await ReadLineAsync(ct)).Split(';')[0].Trim(), 16);
            if (size == 0)
                break;
            body.Write(await ReadExactlyAsync(size, ct));
            await ReadLineAsync(ct);
        }
        while ((await ReadLineAsync(ct)).Length > 0)
        {
            // trailer fields
        }
        return body.ToArray();
    }
}
