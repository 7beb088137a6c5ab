using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Keyshift.Gateway.Http1;

/// <summary>
/// One kept-alive TCP connection to a plain-HTTP upstream, with the bytes received and not yet used. Reads the
/// response head within a timeout — kept by the gateway's heartbeat (<see cref="Expire"/>), not by a timer per
/// request; the body is read by whoever relays it.
/// </summary>
internal sealed class UpstreamConnection : IDisposable
{
    private const int MaxHead = 64 * 1024;

    private readonly Socket _socket;
    private readonly Action<UpstreamConnection>? _disposed;
    private long _deadline; // Stopwatch ticks by which the head must be in; 0 when not waiting, -1 once expired
    private byte[] _buffer = new byte[8 * 1024];
    private int _start;
    private int _end;

    private UpstreamConnection(Socket socket, Action<UpstreamConnection>? disposed) => (_socket, _disposed) = (socket, disposed);

    /// <summary>True when the connection came from the pool (it may have been closed by the upstream meanwhile).</summary>
    public bool Reused { get; set; }

    /// <summary>True once a byte of the current request's answer was received (a retry is then no longer safe).</summary>
    public bool Answered { get; private set; }

    public long LastUsed { get; set; } = Stopwatch.GetTimestamp();

    /// <summary>Received bytes not yet consumed.</summary>
    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    public ResponseHead Head { get; } = new();

    /// <summary>Where a detached request's head is built before it is sent on this connection.</summary>
    public HeadWriter Scratch => _scratch ??= new HeadWriter();

    private HeadWriter? _scratch;

    public static async ValueTask<UpstreamConnection> ConnectAsync(EndPoint endpoint, Action<UpstreamConnection>? disposed, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new UpstreamConnection(socket, disposed);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data)
    {
        while (data.Length > 0)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None);
            data = data[sent..];
        }
    }

    /// <summary>Reads the next response head into <see cref="Head"/>, skipping interim (1xx) answers; false when the upstream closed before answering.</summary>
    /// <exception cref="OperationCanceledException">No head within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidDataException">The upstream's answer is not HTTP/1.x.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> ReadHeadAsync(TimeSpan timeout)
    {
        // Per request: an earlier answer on a kept-alive connection says nothing about this one.
        Answered = false;
        Volatile.Write(ref _deadline, Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency));
        try
        {
            while (true)
            {
                switch (Head.TryParse(_buffer, _start, _end))
                {
                    case HeadStatus.Complete when Head.Status is 100 or 102 or 103:
                        Consume(Head.Length);
                        continue;
                    case HeadStatus.Complete when Head.Status < 200:
                        throw new InvalidDataException("the upstream switched protocols");
                    case HeadStatus.Complete:
                        return true;
                    case HeadStatus.Unsupported:
                        throw new InvalidDataException("the upstream's answer is not HTTP/1.x");
                }
                if (_end - _start >= MaxHead)
                    throw new InvalidDataException("the upstream's answer head is too large");
                MakeRoom();
                var received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
                if (received == 0)
                {
                    if (_end == _start && !Answered)
                        return false;
                    throw new IOException("the upstream closed the connection in the middle of an answer");
                }
                Answered = true;
                _end += received;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException && Volatile.Read(ref _deadline) == -1)
        {
            throw new OperationCanceledException("the upstream did not answer in time", e);
        }
        finally
        {
            if (Interlocked.Exchange(ref _deadline, 0) == -1)
                throw new OperationCanceledException("the upstream did not answer in time");
        }
    }

    /// <summary>The heartbeat's check: a head overdue at <paramref name="now"/> closes the connection, which ends the wait with a timeout.</summary>
    public void Expire(long now)
    {
        var deadline = Volatile.Read(ref _deadline);
        if (deadline > 0 && now > deadline && Interlocked.CompareExchange(ref _deadline, -1, deadline) == deadline)
            _socket.Dispose();
    }

    /// <summary>Receives straight into <paramref name="into"/> (body bytes after the buffered ones are used up); 0 at the upstream's end.</summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> into) => _socket.ReceiveAsync(into, SocketFlags.None);

    public void Consume(int count)
    {
        _start += count;
        if (_start == _end)
            _start = _end = 0;
    }

    /// <summary>An idle connection is readable only when the upstream closed it (or sent something it should not have).</summary>
    public bool LooksOpen()
    {
        try
        {
            return _end == _start && !_socket.Poll(0, SelectMode.SelectRead);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _disposed?.Invoke(this);
    }

    private void MakeRoom()
    {
        if (_end < _buffer.Length)
            return;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
            return;
        }
        Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxHead));
    }
}
