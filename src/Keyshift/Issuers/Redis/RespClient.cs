using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Keyshift.Secrets;

namespace Keyshift.Issuers.Redis;

/// <summary>
/// The few Redis commands Keyshift needs (AUTH, PING, ACL SETUSER/GETUSER/DELUSER/LOG, CLIENT LIST), spoken as
/// RESP2 over TCP, optionally TLS with certificate verification. Arguments are sent as bulk strings, so user
/// names are never parsed as rules or split on spaces.
/// </summary>
public sealed class RespClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly BufferedStream _reader;

    private RespClient(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
        _reader = new BufferedStream(stream, 8192);
    }

    /// <summary>Connects; <see cref="SocketException"/>, <see cref="IOException"/> or a timeout when the server cannot be reached.</summary>
    public static async Task<RespClient> ConnectAsync(string host, int port, bool tls, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, limit.Token);
            Stream stream = tcp.GetStream();
            if (tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, limit.Token);
                stream = ssl;
            }
            tcp.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            tcp.SendTimeout = (int)timeout.TotalMilliseconds;
            return new RespClient(tcp, stream);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            tcp.Dispose();
            throw new TimeoutException($"no connection to {host}:{port} within {timeout.TotalSeconds:F0}s");
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>AUTH user password; null on success, the server's error otherwise (WRONGPASS …).</summary>
    public async Task<string?> AuthAsync(string user, SecretValue password, CancellationToken cancellationToken)
    {
        var reply = await SendAsync([Encoding.UTF8.GetBytes("AUTH"), Encoding.UTF8.GetBytes(user), password.Bytes.ToArray()], cancellationToken);
        return reply.IsError ? reply.Text : null;
    }

    public Task<RespValue> SendAsync(CancellationToken cancellationToken, params string[] args) =>
        SendAsync(args.Select(a => Encoding.UTF8.GetBytes(a)).ToArray(), cancellationToken);

    public async Task<RespValue> SendAsync(IReadOnlyList<byte[]> args, CancellationToken cancellationToken)
    {
        var frame = new MemoryStream();
        frame.Write(Encoding.ASCII.GetBytes($"*{args.Count}\r\n"));
        foreach (var arg in args)
        {
            frame.Write(Encoding.ASCII.GetBytes($"${arg.Length}\r\n"));
            frame.Write(arg);
            frame.Write("\r\n"u8);
        }
        await _stream.WriteAsync(frame.GetBuffer().AsMemory(0, (int)frame.Length), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
        // The frame may hold a password: clear it rather than leave it to the garbage collector.
        Array.Clear(frame.GetBuffer());
        return await ReadAsync(cancellationToken);
    }

    private async Task<RespValue> ReadAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken);
        if (line.Length == 0)
            throw new IOException("empty RESP reply");
        var kind = line[0];
        var rest = line[1..];
        switch (kind)
        {
            case '+':
            case '-':
                return new RespValue(kind, rest);
            case ':':
                return new RespValue(kind, null, long.Parse(rest, CultureInfo.InvariantCulture));
            case '$':
                var length = int.Parse(rest, CultureInfo.InvariantCulture);
                if (length < 0)
                    return new RespValue(kind, null);
                var bytes = new byte[length + 2];
                await _reader.ReadExactlyAsync(bytes, cancellationToken);
                return new RespValue(kind, Encoding.UTF8.GetString(bytes, 0, length));
            case '*':
                var count = int.Parse(rest, CultureInfo.InvariantCulture);
                if (count < 0)
                    return new RespValue(kind, null);
                var items = new List<RespValue>(count);
                for (var i = 0; i < count; i++)
                    items.Add(await ReadAsync(cancellationToken));
                return new RespValue(kind, null, Items: items);
            default:
                throw new IOException($"unexpected RESP reply type '{kind}'");
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var buffer = new List<byte>(64);
        var one = new byte[1];
        while (true)
        {
            if (await _reader.ReadAsync(one, cancellationToken) == 0)
                throw new IOException("the server closed the connection");
            if (one[0] == '\n' && buffer.Count > 0 && buffer[^1] == '\r')
                return Encoding.UTF8.GetString(buffer.ToArray(), 0, buffer.Count - 1);
            buffer.Add(one[0]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
