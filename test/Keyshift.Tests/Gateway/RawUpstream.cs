using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Keyshift.Tests.Gateway;

/// <summary>
/// A fake upstream on 127.0.0.1:0 that answers with exactly the bytes a test gives it. Records every request it
/// read (head and body), and how many connections it accepted.
/// </summary>
public sealed class RawUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<RawMessage, int, Stream, Task<bool>> _answer;
    private readonly ConcurrentBag<TcpClient> _open = [];
    private readonly Task _accepting;
    private int _connections;

    /// <param name="answer">Writes the answer to a request (the int is the connection's number, from 1); false closes the connection.</param>
    public RawUpstream(Func<RawMessage, int, Stream, Task<bool>> answer)
    {
        _answer = answer;
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    /// <summary>An upstream that answers every request with these bytes and keeps the connection.</summary>
    public static RawUpstream Always(string answer) =>
        new(async (_, _, s) =>
        {
            await s.WriteAsync(Encoding.Latin1.GetBytes(answer));
            return true;
        });

    public Uri Url { get; }

    public ConcurrentQueue<RawMessage> Received { get; } = new();

    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var tcp = await _listener.AcceptTcpClientAsync(_stop.Token);
                _open.Add(tcp);
                var number = Interlocked.Increment(ref _connections);
                _ = ServeAsync(tcp, number);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ServeAsync(TcpClient tcp, int number)
    {
        using (tcp)
        {
            try
            {
                var stream = tcp.GetStream();
                var reader = new RawReader(stream);
                while (await reader.ReadAsync(isResponse: false, ct: _stop.Token) is { } request)
                {
                    Received.Enqueue(request);
                    if (!await _answer(request, number, stream))
                        return;
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var tcp in _open)
            tcp.Dispose();
        await _accepting;
        _stop.Dispose();
    }
}
