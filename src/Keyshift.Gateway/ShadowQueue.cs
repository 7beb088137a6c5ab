using System.Text.Json;
using Keyshift.Apis.Integrations;
using Microsoft.Extensions.Logging;

namespace Keyshift.Gateway;

/// <summary>
/// Sends mirrored requests to the new endpoint in the background, never on the client's path: at most
/// <c>gateway.shadowQueue</c> of them at a time (one more is dropped and counted), the consumer's bearer token
/// instead of the legacy key, and a comparison with the legacy answer after learned noise is removed. A mirrored
/// request is started where the legacy answer was sent and continues wherever its upstream answer arrives: no
/// worker threads, no hand-offs between threads.
/// </summary>
internal sealed class ShadowQueue : IAsyncDisposable
{
    private readonly int _capacity;
    private readonly Forwarder _forwarder;
    private readonly UsageLedger _ledger;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ShiftJudge _judge;
    private int _running;
    private readonly Lock _gate = new();
    private TaskCompletionSource? _drained;
    private bool _closed;

    public ShadowQueue(int capacity, Forwarder forwarder, UsageLedger ledger, GatewayMetrics metrics, ShiftJudge judge, ILogger logger) =>
        (_capacity, _forwarder, _ledger, _metrics, _judge, _logger) = (capacity, forwarder, ledger, metrics, judge, logger);

    /// <summary>Starts the job without waiting for it; false (and counted) when as many are already running as allowed.</summary>
    public bool TryEnqueue(ShadowJob job)
    {
        if (Volatile.Read(ref _closed) || Interlocked.Increment(ref _running) > _capacity)
        {
            if (!Volatile.Read(ref _closed))
                Interlocked.Decrement(ref _running);
            _metrics.Increment("keyshift_gateway_shadow_dropped_total", ("integration", job.Integration.Name));
            return false;
        }
        _ = RunAsync(job);
        return true;
    }

    /// <summary>Completes when every job started so far has been handled (tests; shutdown).</summary>
    public Task DrainAsync()
    {
        lock (_gate)
        {
            if (Volatile.Read(ref _running) == 0)
                return Task.CompletedTask;
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _closed, true);
        await _stopping.CancelAsync();
        try
        {
            await DrainAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // A mirror still reading a body that never ends: its connection is closed with the pools.
        }
        _stopping.Dispose();
    }

    private async Task RunAsync(ShadowJob job)
    {
        try
        {
            await HandleAsync(job, _stopping.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            Log.ShadowFailed(_logger, job.Integration.Name, job.Consumer, e.GetType().Name);
        }
        catch (OperationCanceledException)
        {
            // Stopping: a mirrored request still running is given up.
        }
        finally
        {
            if (Interlocked.Decrement(ref _running) == 0)
            {
                lock (_gate)
                {
                    _drained?.TrySetResult();
                    _drained = null;
                }
            }
        }
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask HandleAsync(ShadowJob job, CancellationToken cancellationToken)
    {
        var integration = job.Integration;
        var config = integration.Config;
        if (job.ReplayToLegacy is { } replay)
        {
            try
            {
                await LearnNoiseAsync(job, replay, cancellationToken);
            }
            finally
            {
                integration.Noise.SampleDone(job.Endpoint);
            }
        }
        else if (job.AwaitNoise)
        {
            // The samples were queued before this job, so other workers hold them; the wait is bounded all the same.
            try
            {
                await integration.Noise.WhenLearnedAsync(job.Endpoint).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }
        var key = new UsageKey(integration.Name, job.Consumer, "", job.Endpoint, config.New.Auth.Scheme, "shadow");
        TokenClient? tokens = null;
        if (config.New.Auth.Type == EndpointAuthType.Mtls && !integration.Clients.ContainsKey(job.Consumer))
            return;
        string? authorization = null;
        if (config.New.Auth.Type == EndpointAuthType.OAuth2)
        {
            if (!integration.Tokens.TryGetValue(job.Consumer, out tokens))
                return;
            try
            {
                var token = await tokens.GetAsync(cancellationToken);
                authorization = "Bearer " + token.Value.RevealUtf8();
                _metrics.Increment("keyshift_gateway_token_requests_total", ("integration", integration.Name), ("consumer", job.Consumer), ("result", "ok"));
            }
            catch (TokenException e)
            {
                _metrics.Increment("keyshift_gateway_token_requests_total", ("integration", integration.Name), ("consumer", job.Consumer), ("result", "failed"));
                _metrics.CountComparison(integration.Name, job.Consumer, "error");
                Log.TokenFailed(_logger, integration.Name, job.Consumer, e.Message);
                _ledger.RecordComparison(key, ["token"], 0, error: true, TimeSpan.Zero);
                return;
            }
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        CapturedResponse answer;
        try
        {
            answer = await SendAsync(job.ToNew, config.New.Url, integration.NewPool, authorization, config.CompareHeaders, cancellationToken,
                integration.Clients.GetValueOrDefault(job.Consumer));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            _metrics.CountComparison(integration.Name, job.Consumer, "error");
            _ledger.RecordComparison(key, [], 0, error: true, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            Log.ShadowFailed(_logger, integration.Name, job.Consumer, e is OperationCanceledException ? "timeout" : "unreachable");
            return;
        }
        var latency = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        if (answer.Status == 401)
            tokens?.Invalidate();
        var found = Differences(job.Legacy, answer, config.CompareHeaders);
        IReadOnlyCollection<string> differences = found.Count == 0 ? found : integration.Noise.Filter(job.Endpoint, found);
        _ledger.RecordComparison(key, differences, answer.Status, answer.Status >= 500, latency);
        if (config.Mode == IntegrationMode.Shift)
            _judge.Comparison(integration, differences.Count > 0);
        _metrics.Observe(integration.Name, "shadow", latency);
        _metrics.CountComparison(integration.Name, job.Consumer, differences.Count == 0 ? "same" : "different");
    }

    private async Task LearnNoiseAsync(ShadowJob job, UpstreamRequest replay, CancellationToken cancellationToken)
    {
        try
        {
            var second = await SendAsync(replay, job.Integration.Config.Legacy.Url, job.Integration.LegacyPool, null, job.Integration.Config.CompareHeaders, cancellationToken);
            job.Integration.Noise.Learn(job.Endpoint, Differences(job.Legacy, second, job.Integration.Config.CompareHeaders));
            _metrics.Set("keyshift_gateway_noise_paths", job.Integration.Noise.Count, ("integration", job.Integration.Name));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.ShadowFailed(_logger, job.Integration.Name, job.Consumer, "noise sample: legacy did not answer");
        }
    }

    /// <summary>
    /// Sends a detached request: over the endpoint's raw connection pool when it is plain HTTP and no client certificate
    /// is needed, else through <see cref="HttpClient"/> (<paramref name="via"/>: a consumer's mutual-TLS client).
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CapturedResponse> SendAsync(UpstreamRequest request, Uri url, Http1.UpstreamPool? pool, string? authorization, IReadOnlyList<string> captureHeaders,
        CancellationToken cancellationToken, HttpMessageInvoker? via = null)
    {
        if (pool is not null && via is null)
        {
            return request.Body is null && request.Method is "GET" or "HEAD" or "OPTIONS"
                ? await pool.SendPipelinedAsync(request, authorization, captureHeaders, _forwarder.Timeout)
                : await pool.SendAsync(request, authorization, captureHeaders, _forwarder.Timeout);
        }
        using var message = Forwarder.CreateRequest(request, url);
        if (authorization is not null)
        {
            message.Headers.Remove("Authorization");
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return await _forwarder.SendAsync(message, captureHeaders, cancellationToken, via);
    }

    /// <summary>Where two answers differ: <c>status</c>, <c>header:NAME</c>, JSON paths, or <c>body</c> for bodies that are not both JSON.</summary>
    public static List<string> Differences(CapturedResponse legacy, CapturedResponse other, IReadOnlyList<string> headers)
    {
        var result = new List<string>(0);
        if (legacy.Status != other.Status)
            result.Add("status");
        foreach (var name in headers)
        {
            var a = legacy.Headers.GetValueOrDefault(name);
            var b = other.Headers.GetValueOrDefault(name);
            var same = string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase)
                ? a is null == b is null && (a is null || MediaType(a).Equals(MediaType(b!), StringComparison.OrdinalIgnoreCase))
                : string.Equals(a, b, StringComparison.Ordinal);
            if (!same)
                result.Add("header:" + name);
        }
        if (legacy.Body is null || other.Body is null)
            return result;
        // Byte-equal bodies are equal however they parse: most comparisons end here, without parsing either.
        if (legacy.Body.AsSpan().SequenceEqual(other.Body))
            return result;
        if (TryParse(legacy.Body) is { } left && TryParse(other.Body) is { } right)
        {
            using (left)
            using (right)
                result.AddRange(JsonDiff.Compare(left.RootElement, right.RootElement));
        }
        else
        {
            result.Add("body");
        }
        return result;
    }

    /// <summary>The media type of a Content-Type, without parameters (compared without regard to case).</summary>
    private static ReadOnlySpan<char> MediaType(string contentType) =>
        (contentType.IndexOf(';', StringComparison.Ordinal) is var semicolon and >= 0 ? contentType.AsSpan(0, semicolon) : contentType.AsSpan()).Trim();

    private static JsonDocument? TryParse(byte[] body)
    {
        if (body.Length == 0)
            return null;
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
