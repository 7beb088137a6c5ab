using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Keyshift.Apis.Integrations;
using Keyshift.Secrets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using System.Runtime.CompilerServices;

namespace Keyshift.Gateway.Http1;

/// <summary>
/// The gateway's fast lane for plain HTTP/1.1, a Kestrel connection middleware in front of Kestrel's HTTP server.
/// It reads request heads itself and serves the common case — a well-formed request that goes to an http legacy
/// endpoint — over pooled upstream connections, copying header lines and bodies as bytes. It records the ledger,
/// adds the deprecation headers and queues shadow comparisons exactly as <see cref="GatewayProxy"/> does, through
/// the same methods. Anything else (HTTP/2, chunked or <c>Expect</c> requests, upgrades, unusual targets, requests
/// bound for the new endpoint, mirrored unsafe requests) is left unread and handed — with the rest of its
/// connection — to Kestrel and <see cref="GatewayProxy"/>.
/// </summary>
internal sealed class Http1Lane
{
    /// <summary>Kestrel's keep-alive timeout: a connection that brings no complete request head for this long is closed.</summary>
    private static readonly long KeepAlive = Stopwatch.Frequency * 130;

    private readonly ConcurrentDictionary<LaneClient, byte> _clients = new();

    private readonly GatewayProxy _proxy;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly string _scheme;

    public Http1Lane(GatewayProxy proxy, IEnumerable<IntegrationRuntime> integrations, TimeSpan timeout, TimeProvider time, string scheme)
    {
        (_proxy, _timeout, _time, _scheme) = (proxy, timeout, time, scheme);
        _served = [.. integrations.Where(Serves)];
    }

    private readonly HashSet<IntegrationRuntime> _served;

    /// <summary>Integrations whose legacy side the lane can serve: plain HTTP, credential (if any) in a header, not yet in new mode.</summary>
    private static bool Serves(IntegrationRuntime integration)
    {
        var config = integration.Config;
        return integration.LegacyPool is not null && config.Mode != IntegrationMode.New
            && !(config.Legacy.Auth.Type == EndpointAuthType.ApiKey && config.Legacy.Auth.Query is not null);
    }

    public async Task ServeAsync(ConnectionContext connection, ConnectionDelegate kestrel)
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        var client = new LaneClient(connection, _scheme);
        var onClosing = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested
            .UnsafeRegister(static p => ((PipeReader)p!).CancelPendingRead(), input);
        var handOff = false;
        _clients[client] = 0;
        try
        {
            while (true)
            {
                // Until a whole head is in, the heartbeat may close the connection (Kestrel's keep-alive timeout).
                client.IdleSince = Stopwatch.GetTimestamp();
                HeadStatus status;
                ReadResult read;
                while (true)
                {
                    read = await input.ReadAsync();
                    if (read.IsCanceled || read.Buffer.IsEmpty && read.IsCompleted)
                        return;
                    status = client.Head.TryParse(read.Buffer);
                    if (status != HeadStatus.Incomplete || read.IsCompleted)
                        break;
                    input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                }
                client.IdleSince = 0;
                var plan = status == HeadStatus.Complete ? Plan(client) : null;
                if (plan is null)
                {
                    // Not the lane's: unread, the request and the rest of the connection go to Kestrel.
                    input.AdvanceTo(read.Buffer.Start);
                    handOff = true;
                    break;
                }
                input.AdvanceTo(read.Buffer.GetPosition(client.Head.Length));
                if (!await ForwardAsync(client, plan, input, output))
                    return;
            }
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            return;
        }
        finally
        {
            _clients.TryRemove(client, out _);
            onClosing?.Dispose();
        }
        if (handOff)
            await kestrel(connection);
    }

    /// <summary>The heartbeat's round: connections idle past the keep-alive timeout are closed.</summary>
    public void Expire(long now)
    {
        foreach (var client in _clients.Keys)
            client.Expire(now, KeepAlive);
    }

    /// <summary>What the full pipeline would do with this request, when that is "forward to legacy" and the lane can; else null.</summary>
    private LanePlan? Plan(LaneClient client)
    {
        var head = client.Head;
        var (integration, path) = client.Route(_proxy, head);
        if (integration is null || !_served.Contains(integration))
            return null;
        var pool = integration.LegacyPool!;
        var config = integration.Config;
        var auth = config.Legacy.Auth;
        var carrier = LegacyCredential.CarrierHeader(auth);
        var (presented, consumer, fingerprint) = client.Identify(integration, carrier is null ? null : head.Get(carrier, client.LastCarried));
        string? routingKey = null;
        if (config.Mode == IntegrationMode.Shift && consumer is { Pin: null } && !integration.Guard.RolledBack)
        {
            // Without a key of its own the request's share is drawn at random: the full pipeline draws it, once.
            routingKey = head.Get("Idempotency-Key") is { Length: > 0 } idem ? idem : head.Get("X-Request-Id") is { Length: > 0 } id ? id : null;
            if (routingKey is null)
                return null;
        }
        if (_proxy.ChooseNew(integration, consumer, presented, routingKey) != false)
            return null;
        var safe = head.Method is "GET" or "HEAD" or "OPTIONS";
        var compares = config.Mode == IntegrationMode.Shadow || config.Mode == IntegrationMode.Shift && integration.Guard.JudgesDiffs && !integration.Guard.RolledBack;
        var mirror = compares && consumer is not null && (safe || config.MirrorUnsafe);
        if (mirror && !safe)
            return null;
        return new LanePlan(integration, pool, path, consumer?.Name ?? ConsumerDirectory.Unknown, fingerprint, presented,
            client.Endpoint(head.Method, path), safe, mirror);
    }

    /// <summary>Forwards one request and relays the answer; false when the client connection must close.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ForwardAsync(LaneClient client, LanePlan plan, PipeReader input, PipeWriter output)
    {
        var head = client.Head;
        var integration = plan.Integration;
        var started = Stopwatch.GetTimestamp();
        var (forwarded, forwardedFor) = client.Forwarding(head);
        WriteUpstreamHead(client.Upstream.Clear(), head, plan, forwarded, forwardedFor, _scheme);
        UpstreamConnection? upstream = null;
        var failure = 0;
        for (var attempt = 0; upstream is null && failure == 0; attempt++)
        {
            UpstreamConnection candidate;
            try
            {
                candidate = await plan.Pool.RentAsync(mustBeFresh: attempt > 0);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                failure = 502;
                break;
            }
            try
            {
                await candidate.SendAsync(client.Upstream.Memory);
                if (head.ContentLength > 0 && !await RelayRequestBodyAsync(head.ContentLength, input, candidate))
                {
                    candidate.Dispose();
                    return false;
                }
                if (await candidate.ReadHeadAsync(_timeout))
                    upstream = candidate;
                else
                    throw new IOException("the upstream closed the connection");
            }
            catch (Exception e) when (e is SocketException or IOException or InvalidDataException or OperationCanceledException or ObjectDisposedException)
            {
                candidate.Dispose();
                // A kept-alive connection the upstream had closed meanwhile: once more on a new one, when nothing can have been read.
                if (e is SocketException or IOException && candidate.Reused && !candidate.Answered && head.ContentLength <= 0)
                    continue;
                failure = e is OperationCanceledException ? 504 : 502;
            }
        }
        if (upstream is null)
        {
            var keep = await WriteErrorAsync(client, plan, output, failure) && head.ContentLength <= 0;
            _proxy.Record(integration, plan.Consumer, plan.Fingerprint, plan.Endpoint, integration.Config.Legacy.Auth.Scheme, "legacy",
                new ForwardResult(failure, true, Stopwatch.GetElapsedTime(started), null));
            return keep;
        }
        var response = upstream.Head;
        var closeClient = !head.KeepAlive || response.EndsAtClose(head.Method);
        WriteResponseHead(client.Response.Clear(), response, integration, closeClient, _time);
        output.Write(client.Response.Span);
        upstream.Consume(response.Length);
        var capture = plan.Mirror ? new CaptureBuffer(response.ContentLength) : null;
        var chosen = plan.Mirror ? response.Chosen(integration.Config.CompareHeaders) : null;
        bool complete;
        try
        {
            complete = await RelayResponseBodyAsync(upstream, response, head.Method, output, capture);
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException)
        {
            complete = false;
        }
        if (!complete)
        {
            upstream.Dispose();
            client.Abort();
            _proxy.Record(integration, plan.Consumer, plan.Fingerprint, plan.Endpoint, integration.Config.Legacy.Auth.Scheme, "legacy",
                new ForwardResult(response.Status, true, Stopwatch.GetElapsedTime(started), null));
            return false;
        }
        if (response.Close || upstream.Buffered.Length > 0)
            upstream.Dispose();
        else
            plan.Pool.Return(upstream);
        var result = new ForwardResult(response.Status, response.Status >= 500, Stopwatch.GetElapsedTime(started),
            capture is null ? null : new CapturedResponse(response.Status, chosen!, capture.ToArray()));
        _proxy.Record(integration, plan.Consumer, plan.Fingerprint, plan.Endpoint, integration.Config.Legacy.Auth.Scheme, "legacy", result);
        // Queued before the answer is flushed, so that an answered request always has its mirror counted (DrainAsync);
        // queueing only enqueues — the mirror is sent after this turn, never before the legacy answer.
        if (plan.Mirror && plan.HasCredential && result.Captured is { Body: not null } legacyAnswer)
            QueueShadow(client, plan, legacyAnswer, forwarded, forwardedFor);
        var flushed = await output.FlushAsync();
        return !closeClient && !flushed.IsCompleted;
    }

    private static void WriteUpstreamHead(HeadWriter writer, RequestHead head, LanePlan plan, string forwarded, string forwardedFor, string scheme)
    {
        writer.Append(head.Method).Append(" "u8).Append(plan.Pool.PathPrefix).Append(plan.Path).Append(head.Query).Append(" HTTP/1.1\r\nHost: "u8)
            .Append(plan.Pool.Authority).Line();
        for (var i = 0; i < head.HeaderCount; i++)
        {
            var name = head.Name(i);
            if (Headers.IsHopByHop(name, head.ConnectionNamed) || Ascii.EqualsIgnoreCase(name, "Host"u8) || Headers.IsForwarding(name))
                continue;
            writer.Append(head.Line(i)).Line();
        }
        writer.Header("Forwarded", forwarded).Header("X-Forwarded-For", forwardedFor).Header("X-Forwarded-Proto", scheme)
            .Header("X-Forwarded-Host", head.Host).Line();
    }

    private static void WriteResponseHead(HeadWriter writer, ResponseHead response, IntegrationRuntime integration, bool close, TimeProvider time)
    {
        writer.Append("HTTP/1.1 "u8).Append(response.StatusText).Line();
        for (var i = 0; i < response.HeaderCount; i++)
        {
            var name = response.Name(i);
            if (Headers.IsHopByHop(name, response.ConnectionNamed) || Headers.IsDeprecation(name)
                || response.Chunked && Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
                continue;
            writer.Append(response.Line(i)).Line();
        }
        if (response.Chunked)
            writer.Append("Transfer-Encoding: chunked\r\n"u8);
        if (close)
            writer.Append("Connection: close\r\n"u8);
        if (!response.HasDate)
            writer.Date(time);
        writer.Append(integration.Deprecation.Lines).Line();
    }

    /// <summary>Copies exactly the request's Content-Length bytes from the client to the upstream; false when the client went away first.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> RelayRequestBodyAsync(long length, PipeReader input, UpstreamConnection upstream)
    {
        while (length > 0)
        {
            var read = await input.ReadAsync();
            var buffer = read.Buffer;
            if (read.IsCanceled || buffer.IsEmpty && read.IsCompleted)
                return false;
            var take = buffer.Slice(0, Math.Min(length, buffer.Length));
            foreach (var segment in take)
                await upstream.SendAsync(segment);
            length -= take.Length;
            input.AdvanceTo(take.End);
        }
        return true;
    }

    /// <summary>Copies the answer's body as it is framed (length, chunks, or up to the close); false when the upstream broke off.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> RelayResponseBodyAsync(UpstreamConnection upstream, ResponseHead response, string method, PipeWriter output, CaptureBuffer? capture)
    {
        if (!response.HasBody(method))
            return true;
        const int FlushEvery = 64 * 1024;
        var unflushed = 0L;
        if (response.Chunked)
        {
            var scanner = new ChunkedScanner();
            var used = scanner.Scan(upstream.Buffered, capture);
            output.Write(upstream.Buffered[..used]);
            upstream.Consume(used);
            while (!scanner.Done)
            {
                if (unflushed >= FlushEvery)
                {
                    if ((await output.FlushAsync()).IsCompleted)
                        return false;
                    unflushed = 0;
                }
                var memory = output.GetMemory(8192);
                var received = await upstream.ReceiveAsync(memory);
                if (received == 0)
                    return false;
                used = scanner.Scan(memory.Span[..received], capture);
                output.Advance(used);
                unflushed += used;
                if (used < received)
                    return false; // bytes after the body: the connection is not trusted again
            }
            return true;
        }
        var remaining = response.ContentLength < 0 ? long.MaxValue : response.ContentLength;
        var first = (int)Math.Min(remaining, upstream.Buffered.Length);
        capture?.Add(upstream.Buffered[..first]);
        output.Write(upstream.Buffered[..first]);
        upstream.Consume(first);
        remaining -= first;
        while (remaining > 0)
        {
            if (unflushed >= FlushEvery)
            {
                if ((await output.FlushAsync()).IsCompleted)
                    return false;
                unflushed = 0;
            }
            var memory = output.GetMemory(8192);
            var received = await upstream.ReceiveAsync(memory[..(int)Math.Min(remaining, memory.Length)]);
            if (received == 0)
                return response.ContentLength < 0;
            capture?.Add(memory.Span[..received]);
            output.Advance(received);
            unflushed += received;
            remaining -= received;
        }
        return true;
    }

    private async ValueTask<bool> WriteErrorAsync(LaneClient client, LanePlan plan, PipeWriter output, int status)
    {
        var body = status == 504
            ? """{"error":"the upstream API did not answer in time"}"""u8.ToArray()
            : """{"error":"the upstream API could not be reached"}"""u8.ToArray();
        var writer = client.Response.Clear().Append(status == 504 ? "HTTP/1.1 504 Gateway Timeout\r\n"u8 : "HTTP/1.1 502 Bad Gateway\r\n"u8)
            .Append("Content-Type: application/json; charset=utf-8\r\nContent-Length: "u8).Number(body.Length).Line();
        if (!client.Head.KeepAlive)
            writer.Append("Connection: close\r\n"u8);
        writer.Date(_time).Append(plan.Integration.Deprecation.Lines).Line().Append(body);
        output.Write(writer.Span);
        var flushed = await output.FlushAsync();
        return client.Head.KeepAlive && !flushed.IsCompleted;
    }

    private void QueueShadow(LaneClient client, LanePlan plan, CapturedResponse legacyAnswer, string forwarded, string forwardedFor)
    {
        var head = client.Head;
        var credential = LegacyCredential.CarrierHeader(plan.Integration.Config.Legacy.Auth);
        var pathAndQuery = plan.Path + head.Query;
        var forwarding = client.ForwardingSnapshot(head, forwarded, forwardedFor);
        var toNew = new UpstreamRequest(head.Method, pathAndQuery, Snapshot(head, credential, forwarding), null);
        var replay = plan.Safe && plan.Integration.Noise.TakeSample(plan.Endpoint)
            ? new UpstreamRequest(head.Method, pathAndQuery, Snapshot(head, null, forwarding), null)
            : null;
        _proxy.QueueShadow(plan.Integration, plan.Consumer, plan.Endpoint, plan.Safe, toNew, legacyAnswer, replay);
    }

    /// <summary>The request's end-to-end headers (without <paramref name="drop"/>), with the forwarding headers, detached from the connection.</summary>
    private static List<KeyValuePair<string, string[]>> Snapshot(RequestHead head, string? drop, KeyValuePair<string, string[]>[] forwarding)
    {
        var headers = new List<KeyValuePair<string, string[]>>(head.HeaderCount + forwarding.Length);
        for (var i = 0; i < head.HeaderCount; i++)
        {
            var name = head.Name(i);
            if (Headers.IsHopByHop(name, head.ConnectionNamed) || Ascii.EqualsIgnoreCase(name, "Host"u8) || Headers.IsForwarding(name)
                || drop is not null && Ascii.EqualsIgnoreCase(name, drop))
                continue;
            headers.Add(KeyValuePair.Create(head.NameString(i), new[] { head.ValueString(i) }));
        }
        headers.AddRange(forwarding);
        return headers;
    }
}
