using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Keyshift.Gateway.Http1;

/// <summary>
/// Kept-alive HTTP/1.1 connections to one plain-HTTP upstream (scheme, host and port of an endpoint URL), most recently
/// used first. A connection idle for a while is checked before reuse; one that the upstream closed is replaced.
/// </summary>
internal sealed class UpstreamPool : IDisposable
{
    private const int MaxIdle = 512;

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private static readonly long CheckAfter = Stopwatch.Frequency; // one second idle

    private static readonly long DropAfter = Stopwatch.Frequency * 50; // fifty seconds idle (below common keep-alive timeouts)

    private readonly Stack<UpstreamConnection> _idle = new();
    private readonly ConcurrentDictionary<UpstreamConnection, byte> _live = new();
    private List<Pipelined>? _pending;
    private readonly EndPoint _endpoint;
    private bool _disposed;

    public UpstreamPool(Uri url)
    {
        if (url.Scheme != Uri.UriSchemeHttp)
            throw new ArgumentException("the lane reaches plain HTTP upstreams only", nameof(url));
        _endpoint = IPAddress.TryParse(url.IdnHost, out var address) ? new IPEndPoint(address, url.Port) : new DnsEndPoint(url.IdnHost, url.Port);
        Authority = url.IsDefaultPort ? url.IdnHost : url.IdnHost + ":" + url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (url.HostNameType == UriHostNameType.IPv6)
            Authority = url.Authority;
        PathPrefix = url.AbsolutePath.TrimEnd('/');
    }

    /// <summary>The <c>Host</c> the upstream is sent.</summary>
    public string Authority { get; }

    /// <summary>The endpoint URL's path (without a trailing slash), put before every forwarded path.</summary>
    public string PathPrefix { get; }

    /// <summary>An idle connection (<see cref="UpstreamConnection.Reused"/>) or a new one (within ten seconds, else <see cref="OperationCanceledException"/>).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<UpstreamConnection> RentAsync(bool mustBeFresh)
    {
        while (!mustBeFresh)
        {
            UpstreamConnection? idle;
            lock (_idle)
                idle = _idle.Count > 0 ? _idle.Pop() : null;
            if (idle is null)
                break;
            var quiet = Stopwatch.GetTimestamp() - idle.LastUsed;
            if (quiet > DropAfter || quiet > CheckAfter && !idle.LooksOpen())
            {
                idle.Dispose();
                continue;
            }
            idle.Reused = true;
            return idle;
        }
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        var connection = await UpstreamConnection.ConnectAsync(_endpoint, c => _live.TryRemove(c, out _), timeout.Token);
        _live[connection] = 0;
        return connection;
    }

    /// <summary>Keeps the connection for the next request, or closes it when the pool is full or gone.</summary>
    public void Return(UpstreamConnection connection)
    {
        connection.LastUsed = Stopwatch.GetTimestamp();
        lock (_idle)
        {
            if (!_disposed && _idle.Count < MaxIdle)
            {
                _idle.Push(connection);
                return;
            }
        }
        connection.Dispose();
    }

    /// <summary>
    /// Sends a detached request (shadow and noise replay) and reads the whole answer, like <see cref="Forwarder.SendAsync"/>
    /// but without an <see cref="HttpClient"/>: <paramref name="authorization"/>, when given, replaces the request's own.
    /// </summary>
    /// <exception cref="HttpRequestException">The upstream could not be reached or did not answer in HTTP/1.x.</exception>
    /// <exception cref="OperationCanceledException">No answer within <paramref name="timeout"/>.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<CapturedResponse> SendAsync(UpstreamRequest request, string? authorization, IReadOnlyList<string> captureHeaders, TimeSpan timeout)
    {
        for (var attempt = 0; ; attempt++)
        {
            UpstreamConnection connection;
            try
            {
                connection = await RentAsync(mustBeFresh: attempt > 0);
            }
            catch (SocketException e)
            {
                throw new HttpRequestException("the upstream could not be reached", e);
            }
            var head = WriteHead(connection.Scratch.Clear(), request, authorization);
            try
            {
                await connection.SendAsync(head.Memory);
                if (request.Body is { Length: > 0 } body)
                    await connection.SendAsync(body);
                if (!await connection.ReadHeadAsync(timeout))
                    throw new IOException("the upstream closed the connection");
                var answer = connection.Head;
                var chosen = answer.Chosen(captureHeaders);
                var capture = new CaptureBuffer(answer.ContentLength);
                var status = answer.Status;
                connection.Consume(answer.Length);
                await ReadBodyAsync(connection, answer, request.Method, capture);
                if (answer.Close || connection.Buffered.Length > 0)
                    connection.Dispose();
                else
                    Return(connection);
                return new CapturedResponse(status, chosen, capture.ToArray());
            }
            catch (Exception e) when (e is SocketException or IOException or InvalidDataException or ObjectDisposedException)
            {
                connection.Dispose();
                if (attempt == 0 && connection.Reused && !connection.Answered && e is not InvalidDataException)
                    continue;
                throw new HttpRequestException("the upstream did not answer", e);
            }
            catch (OperationCanceledException)
            {
                connection.Dispose();
                throw;
            }
        }
    }

    private HeadWriter WriteHead(HeadWriter head, UpstreamRequest request, string? authorization)
    {
        head.Append(request.Method).Append(" "u8).Append(PathPrefix).Append(request.PathAndQuery).Append(" HTTP/1.1\r\nHost: "u8).Append(Authority).Line();
        foreach (var (name, values) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                || authorization is not null && name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                continue;
            foreach (var value in values)
                head.Header(name, value);
        }
        if (authorization is not null)
            head.Header("Authorization", authorization);
        if (request.Body is not null || request.Method is "POST" or "PUT" or "PATCH")
            head.Append("Content-Length: "u8).Number(request.Body?.Length ?? 0).Line();
        return head.Line();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask ReadBodyAsync(UpstreamConnection connection, ResponseHead answer, string method, CaptureBuffer capture)
    {
        if (!answer.HasBody(method))
            return;
        var scanner = new ChunkedScanner();
        var remaining = answer.Chunked || answer.ContentLength < 0 ? long.MaxValue : answer.ContentLength;
        var buffered = connection.Buffered;
        var used = answer.Chunked ? scanner.Scan(buffered, capture) : (int)Math.Min(remaining, buffered.Length);
        if (!answer.Chunked)
            capture.Add(buffered[..used]);
        connection.Consume(used);
        remaining -= answer.Chunked ? 0 : used;
        if (answer.Chunked ? scanner.Done : remaining == 0)
            return;
        var scratch = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (answer.Chunked ? !scanner.Done : remaining > 0)
            {
                var received = await connection.ReceiveAsync(scratch.AsMemory(0, (int)Math.Min(remaining, scratch.Length)));
                if (received == 0)
                {
                    if (!answer.Chunked && answer.ContentLength < 0)
                        return;
                    throw new IOException("the upstream broke off its answer");
                }
                if (answer.Chunked)
                {
                    if (scanner.Scan(scratch.AsSpan(0, received), capture) < received)
                        throw new InvalidDataException("bytes after the end of a chunked answer");
                }
                else
                {
                    capture.Add(scratch.AsSpan(0, received));
                    remaining -= received;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>The heartbeat's round: every connection waiting past its deadline for an answer is closed (a 504).</summary>
    public void Expire(long now)
    {
        foreach (var connection in _live.Keys)
            connection.Expire(now);
    }

    /// <summary>
    /// Like <see cref="SendAsync"/>, for a safe request without a body, but pipelined (RFC 9112 §9.3.2): requests that
    /// arrive while others wait are written together on one connection with one send, and their answers read in order.
    /// A mirror is not in a hurry, and a loopback send costs as much as the rest of a mirror. Requests the upstream did
    /// not answer before closing the connection are sent again, once.
    /// </summary>
    public Task<CapturedResponse> SendPipelinedAsync(UpstreamRequest request, string? authorization, IReadOnlyList<string> captureHeaders, TimeSpan timeout)
    {
        var mirror = new Pipelined(request, authorization, captureHeaders);
        Enqueue(mirror, timeout);
        return mirror.Done.Task;
    }

    private void Enqueue(Pipelined mirror, TimeSpan timeout)
    {
        bool first;
        lock (_idle)
        {
            (_pending ??= []).Add(mirror);
            first = _pending.Count == 1;
        }
        if (first)
            ScheduleFlush(timeout);
    }

    private void ScheduleFlush(TimeSpan timeout) =>
        ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Pool.FlushPipelinedAsync(state.Timeout), (Pool: this, Timeout: timeout), preferLocal: false);

    private async Task FlushPipelinedAsync(TimeSpan timeout)
    {
        const int MaxBatch = 32;
        List<Pipelined> batch;
        bool more;
        lock (_idle)
        {
            if (_pending is not { Count: > 0 } pending)
                return;
            batch = pending.Count <= MaxBatch ? pending : pending.GetRange(0, MaxBatch);
            if (pending.Count <= MaxBatch)
                _pending = null;
            else
                pending.RemoveRange(0, MaxBatch);
            more = _pending is { Count: > 0 };
        }
        // The rest goes on another connection at the same time.
        if (more)
            ScheduleFlush(timeout);
        var answered = 0;
        UpstreamConnection? connection = null;
        try
        {
            connection = await RentAsync(mustBeFresh: false);
            var head = connection.Scratch.Clear();
            foreach (var mirror in batch)
                WriteHead(head, mirror.Request, mirror.Authorization);
            await connection.SendAsync(head.Memory);
            for (; answered < batch.Count; answered++)
            {
                var mirror = batch[answered];
                if (!await connection.ReadHeadAsync(timeout))
                    break;
                var answer = connection.Head;
                var chosen = answer.Chosen(mirror.CaptureHeaders);
                var capture = new CaptureBuffer(answer.ContentLength);
                var status = answer.Status;
                var close = answer.Close;
                connection.Consume(answer.Length);
                await ReadBodyAsync(connection, answer, mirror.Request.Method, capture);
                mirror.Done.TrySetResult(new CapturedResponse(status, chosen, capture.ToArray()));
                if (close)
                {
                    answered++;
                    break;
                }
            }
            if (answered == batch.Count && connection.Buffered.Length == 0 && !connection.Head.Close)
                Return(connection);
            else
                connection.Dispose();
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or ObjectDisposedException or OperationCanceledException)
        {
            connection?.Dispose();
            if (e is OperationCanceledException)
            {
                // The upstream did not answer in time: the one waited for timed out, the rest never had a chance.
                batch[answered++].Done.TrySetException(e);
            }
        }
        // Not answered before the connection ended: once more, on another connection; then an error.
        for (var i = answered; i < batch.Count; i++)
        {
            if (batch[i].Attempts++ == 0)
                Enqueue(batch[i], timeout);
            else
                batch[i].Done.TrySetException(new HttpRequestException("the upstream closed the connection before answering"));
        }
    }

    private sealed class Pipelined(UpstreamRequest request, string? authorization, IReadOnlyList<string> captureHeaders)
    {
        public UpstreamRequest Request { get; } = request;

        public string? Authorization { get; } = authorization;

        public IReadOnlyList<string> CaptureHeaders { get; } = captureHeaders;

        public TaskCompletionSource<CapturedResponse> Done { get; } = new();

        public int Attempts { get; set; }
    }

    public void Dispose()
    {
        lock (_idle)
        {
            _disposed = true;
            _idle.Clear();
        }
        // Idle ones and those still in use: a request still waiting on one ends with an error.
        foreach (var connection in _live.Keys)
            connection.Dispose();
    }
}
