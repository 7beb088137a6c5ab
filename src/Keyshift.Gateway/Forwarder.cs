using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Keyshift.Gateway;

/// <summary>
/// A small reverse-proxy forwarder on <see cref="HttpMessageInvoker"/>: streams the request and response
/// bodies, drops hop-by-hop headers both ways, sets <c>Forwarded</c> and <c>X-Forwarded-*</c>, and answers
/// 502/504 when the upstream fails or is slow.
/// </summary>
internal sealed class Forwarder(HttpMessageInvoker http, TimeSpan timeout)
{
    /// <summary>Largest answer kept in memory for a shadow comparison; bigger ones are streamed and not compared.</summary>
    public const int CaptureLimit = 1 << 20;

    public HttpMessageInvoker Http { get; } = http;

    /// <summary>How long an upstream has to answer (its head; a body may take longer).</summary>
    public TimeSpan Timeout { get; } = timeout;

    private static readonly HashSet<string> ForwardingHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Forwarded", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
    };

    public static HttpMessageInvoker CreateInvoker(System.Net.Security.SslClientAuthenticationOptions? tls = null) => new(new SocketsHttpHandler
    {
        SslOptions = tls ?? new(),
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ActivityHeadersPropagator = null,
    }, disposeHandler: true);

    /// <summary>The client's request as an upstream request: end-to-end headers only, minus those <paramref name="drop"/> names, plus forwarding headers.</summary>
    public static HttpRequestMessage CreateRequest(HttpContext context, Uri baseUrl, string pathAndQuery, Func<string, bool> drop, HttpContent? content)
    {
        var request = context.Request;
        var message = new HttpRequestMessage(HttpMethod.Parse(request.Method), Combine(baseUrl, pathAndQuery))
        {
            Version = baseUrl.Scheme == "https" ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        var hop = HopByHop.For(request.Headers.Connection);
        if (content is null && HasBody(request))
            content = new StreamContent(request.Body);
        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.IsHopByHop(name, hop) || drop(name) || string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith(':'))
                continue;
            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values) && content is not null)
                content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        message.Content = content;
        AddForwarding(message.Headers, context);
        return message;
    }

    public static HttpRequestMessage CreateRequest(UpstreamRequest request, Uri baseUrl)
    {
        var message = new HttpRequestMessage(HttpMethod.Parse(request.Method), Combine(baseUrl, request.PathAndQuery))
        {
            Version = baseUrl.Scheme == "https" ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (request.Body is { } body)
            message.Content = new ByteArrayContent(body);
        foreach (var (name, values) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, values))
                message.Content?.Headers.TryAddWithoutValidation(name, values);
        }
        return message;
    }

    /// <summary>The end-to-end headers of the client's request, without those <paramref name="drop"/> names, with forwarding headers.</summary>
    public static List<KeyValuePair<string, string[]>> Snapshot(HttpContext context, Func<string, bool> drop)
    {
        var hop = HopByHop.For(context.Request.Headers.Connection);
        var headers = new List<KeyValuePair<string, string[]>>();
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!HopByHop.IsHopByHop(name, hop) && !drop(name) && !string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase) && !name.StartsWith(':')
                && !ForwardingHeaders.Contains(name))
                headers.Add(KeyValuePair.Create(name, values.Select(v => v ?? "").ToArray()));
        }
        using var scratch = new HttpRequestMessage();
        AddForwarding(scratch.Headers, context);
        headers.AddRange(scratch.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToArray())));
        return headers;
    }

    /// <summary>Sends the request and streams the answer to the client; <paramref name="onHeaders"/> adds headers before the body starts.</summary>
    /// <remarks><paramref name="via"/> is a consumer's own client (mutual TLS, its certificate); the shared one otherwise.</remarks>
    public async Task<ForwardResult> ForwardAsync(HttpContext context, HttpRequestMessage message, Action<HttpResponse>? onHeaders, bool capture, IReadOnlyList<string> captureHeaders,
        HttpMessageInvoker? via = null)
    {
        var started = Stopwatch.GetTimestamp();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        cts.CancelAfter(Timeout);
        HttpResponseMessage upstream;
        try
        {
            upstream = await (via ?? Http).SendAsync(message, cts.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            var status = context.RequestAborted.IsCancellationRequested ? 499 : e is OperationCanceledException ? 504 : 502;
            if (!context.Response.HasStarted && status != 499)
                await Error(context, status, status == 504 ? "the upstream API did not answer in time" : "the upstream API could not be reached", onHeaders);
            return new ForwardResult(status, true, Stopwatch.GetElapsedTime(started), null);
        }
        using (upstream)
        {
            var response = context.Response;
            response.StatusCode = (int)upstream.StatusCode;
            var hop = HopByHop.For(string.Join(',', upstream.Headers.Connection));
            CopyHeaders(upstream.Headers, response.Headers, hop);
            CopyHeaders(upstream.Content.Headers, response.Headers, hop);
            onHeaders?.Invoke(response);
            var captured = capture ? new MemoryStream() : null;
            var keep = capture;
            // Pooled: a buffer per request would be most of what a busy gateway allocates.
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                if (!HttpMethods.IsHead(context.Request.Method))
                {
                    // The body may take longer than the header timeout; only the client going away stops it.
                    await using var body = await upstream.Content.ReadAsStreamAsync(context.RequestAborted);
                    int read;
                    while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
                    {
                        await response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                        if (keep)
                        {
                            if (captured!.Length + read > CaptureLimit)
                                keep = false;
                            else
                                captured.Write(buffer, 0, read);
                        }
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or HttpRequestException)
            {
                context.Abort();
                return new ForwardResult(response.StatusCode, true, Stopwatch.GetElapsedTime(started), null);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            var latency = Stopwatch.GetElapsedTime(started);
            CapturedResponse? result = null;
            if (capture)
                result = new CapturedResponse(response.StatusCode, Chosen(upstream, captureHeaders), keep ? captured!.ToArray() : null);
            return new ForwardResult(response.StatusCode, response.StatusCode >= 500, latency, result);
        }
    }

    /// <summary>Sends a detached request and reads the whole answer (shadow and replay; never touches a client).</summary>
    public async Task<CapturedResponse> SendAsync(HttpRequestMessage message, IReadOnlyList<string> captureHeaders, CancellationToken cancellationToken, HttpMessageInvoker? via = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        using var upstream = await (via ?? Http).SendAsync(message, cts.Token);
        var body = await upstream.Content.ReadAsByteArrayAsync(cts.Token);
        return new CapturedResponse((int)upstream.StatusCode, Chosen(upstream, captureHeaders), body.Length > CaptureLimit ? null : body);
    }

    public static async Task Error(HttpContext context, int status, string message, Action<HttpResponse>? onHeaders = null)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        onHeaders?.Invoke(context.Response);
        await context.Response.WriteAsJsonAsync(new { error = message });
    }

    private static Dictionary<string, string> Chosen(HttpResponseMessage upstream, IReadOnlyList<string> names)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            if (upstream.Headers.TryGetValues(name, out var values) || upstream.Content.Headers.TryGetValues(name, out values))
                result[name] = string.Join(", ", values);
        }
        return result;
    }

    private static void CopyHeaders(HttpHeaders from, IHeaderDictionary to, HashSet<string> hop)
    {
        foreach (var (name, values) in from)
        {
            if (!HopByHop.IsHopByHop(name, hop))
                to[name] = values.ToArray();
        }
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;

    private static void AddForwarding(HttpRequestHeaders headers, HttpContext context)
    {
        var request = context.Request;
        var (forwarded, forwardedFor) = Forwarding(context.Connection.RemoteIpAddress, request.Scheme, request.Host.Value ?? "",
            request.Headers["Forwarded"].ToString(), request.Headers["X-Forwarded-For"].ToString());
        headers.Remove("Forwarded");
        headers.TryAddWithoutValidation("Forwarded", forwarded);
        headers.Remove("X-Forwarded-For");
        headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        headers.Remove("X-Forwarded-Proto");
        headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        headers.Remove("X-Forwarded-Host");
        headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);
    }

    /// <summary>The <c>Forwarded</c> (RFC 7239) and <c>X-Forwarded-For</c> values: the client's own appended to what earlier proxies set.</summary>
    public static (string Forwarded, string ForwardedFor) Forwarding(IPAddress? client, string scheme, string host, string existingForwarded, string existingFor)
    {
        var forClient = client is null ? "unknown" : client.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"\"[{client}]\"" : client.ToString();
        var element = $"for={forClient};proto={scheme};host=\"{host}\"";
        return (existingForwarded.Length > 0 ? existingForwarded + ", " + element : element,
            existingFor.Length > 0 ? existingFor + ", " + client : client?.ToString() ?? "unknown");
    }

    /// <summary>The request headers a proxy sets itself, never copied from the client's.</summary>
    public static IReadOnlyCollection<string> ForwardingNames => ForwardingHeaders;

    // An integration has two base URLs; their prefixes are computed once, not per request.
    private static readonly ConcurrentDictionary<Uri, string> Prefixes = new();

    private static Uri Combine(Uri baseUrl, string pathAndQuery) =>
        new(Prefixes.GetOrAdd(baseUrl, static u => u.GetLeftPart(UriPartial.Authority) + u.AbsolutePath.TrimEnd('/')) + pathAndQuery);
}
