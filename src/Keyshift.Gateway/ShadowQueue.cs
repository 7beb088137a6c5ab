using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Keyshift.Apis.Integrations;
using Microsoft.Extensions.Logging;

namespace Keyshift.Gateway;

/// <summary>
/// Sends mirrored requests to the new endpoint in the background, never on the client's path: a bounded
/// queue (a full queue drops the request and counts it), a few workers, the consumer's bearer token instead
/// of the legacy key, and a comparison with the legacy answer after learned noise is removed.
/// </summary>
internal sealed class ShadowQueue : IAsyncDisposable
{
    private readonly Channel<ShadowJob> _channel;
    private readonly Forwarder _forwarder;
    private readonly UsageLedger _ledger;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Task[] _workers;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ShiftJudge _judge;

    public ShadowQueue(int capacity, int workers, Forwarder forwarder, UsageLedger ledger, GatewayMetrics metrics, ShiftJudge judge, ILogger logger)
    {
        _channel = Channel.CreateBounded<ShadowJob>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = false });
        (_forwarder, _ledger, _metrics, _judge, _logger) = (forwarder, ledger, metrics, judge, logger);
        _workers = Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync)).ToArray();
    }

    /// <summary>Queues the job without waiting; false (and counted) when the queue is full.</summary>
    public bool TryEnqueue(ShadowJob job)
    {
        if (_channel.Writer.TryWrite(job))
            return true;
        _metrics.Increment("keyshift_gateway_shadow_dropped_total", ("integration", job.Integration.Name));
        return false;
    }

    /// <summary>Completes when every queued job has been handled (tests; shutdown).</summary>
    public async Task DrainAsync()
    {
        _channel.Writer.TryComplete();
        await Task.WhenAll(_workers);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_workers);
        }
        catch (OperationCanceledException)
        {
        }
        _stopping.Dispose();
    }

    private async Task WorkAsync()
    {
        await foreach (var job in _channel.Reader.ReadAllAsync(_stopping.Token))
        {
            try
            {
                await HandleAsync(job, _stopping.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
            {
                Log.ShadowFailed(_logger, job.Integration.Name, job.Consumer, e.GetType().Name);
            }
        }
    }

    private async Task HandleAsync(ShadowJob job, CancellationToken cancellationToken)
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
        using var message = Forwarder.CreateRequest(job.ToNew, config.New.Url);
        TokenClient? tokens = null;
        if (config.New.Auth.Type == EndpointAuthType.Mtls && !integration.Clients.ContainsKey(job.Consumer))
            return;
        if (config.New.Auth.Type == EndpointAuthType.OAuth2)
        {
            if (!integration.Tokens.TryGetValue(job.Consumer, out tokens))
                return;
            try
            {
                var token = await tokens.GetAsync(cancellationToken);
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value.RevealUtf8());
                _metrics.Increment("keyshift_gateway_token_requests_total", ("integration", integration.Name), ("consumer", job.Consumer), ("result", "ok"));
            }
            catch (TokenException e)
            {
                _metrics.Increment("keyshift_gateway_token_requests_total", ("integration", integration.Name), ("consumer", job.Consumer), ("result", "failed"));
                _metrics.Increment("keyshift_gateway_shadow_comparisons_total", ("integration", integration.Name), ("consumer", job.Consumer), ("result", "error"));
                Log.TokenFailed(_logger, integration.Name, job.Consumer, e.Message);
                _ledger.RecordComparison(key, ["token"], 0, error: true, TimeSpan.Zero);
                return;
            }
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        CapturedResponse answer;
        try
        {
            answer = await _forwarder.SendAsync(message, config.CompareHeaders, cancellationToken, integration.Clients.GetValueOrDefault(job.Consumer));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            _metrics.Increment("keyshift_gateway_shadow_comparisons_total", ("integration", integration.Name), ("consumer", job.Consumer), ("result", "error"));
            _ledger.RecordComparison(key, [], 0, error: true, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            Log.ShadowFailed(_logger, integration.Name, job.Consumer, e is OperationCanceledException ? "timeout" : "unreachable");
            return;
        }
        var latency = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        if (answer.Status == 401)
            tokens?.Invalidate();
        var differences = integration.Noise.Filter(job.Endpoint, Differences(job.Legacy, answer, config.CompareHeaders));
        _ledger.RecordComparison(key, differences, answer.Status, answer.Status >= 500, latency);
        if (config.Mode == IntegrationMode.Shift)
            _judge.Comparison(integration, differences.Count > 0);
        _metrics.Observe(integration.Name, "shadow", latency);
        _metrics.Increment("keyshift_gateway_shadow_comparisons_total", ("integration", integration.Name), ("consumer", job.Consumer), ("result", differences.Count == 0 ? "same" : "different"));
    }

    private async Task LearnNoiseAsync(ShadowJob job, UpstreamRequest replay, CancellationToken cancellationToken)
    {
        try
        {
            using var message = Forwarder.CreateRequest(replay, job.Integration.Config.Legacy.Url);
            var second = await _forwarder.SendAsync(message, job.Integration.Config.CompareHeaders, cancellationToken);
            job.Integration.Noise.Learn(job.Endpoint, Differences(job.Legacy, second, job.Integration.Config.CompareHeaders));
            _metrics.Set("keyshift_gateway_noise_paths", job.Integration.Noise.Count, ("integration", job.Integration.Name));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.ShadowFailed(_logger, job.Integration.Name, job.Consumer, "noise sample: legacy did not answer");
        }
    }

    /// <summary>Where two answers differ: <c>status</c>, <c>header:NAME</c>, JSON paths, or <c>body</c> for bodies that are not both JSON.</summary>
    public static List<string> Differences(CapturedResponse legacy, CapturedResponse other, IReadOnlyList<string> headers)
    {
        var result = new List<string>();
        if (legacy.Status != other.Status)
            result.Add("status");
        foreach (var name in headers)
        {
            var a = legacy.Headers.GetValueOrDefault(name);
            var b = other.Headers.GetValueOrDefault(name);
            if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
                (a, b) = (MediaType(a), MediaType(b));
            if (!string.Equals(a, b, StringComparison.Ordinal))
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

    private static string? MediaType(string? contentType) =>
        contentType is null ? null : contentType.Split(';')[0].Trim().ToLowerInvariant();

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
