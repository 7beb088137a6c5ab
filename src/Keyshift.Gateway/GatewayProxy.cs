using System.Net.Http.Headers;
using Keyshift.Apis.Integrations;
using Keyshift.Secrets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Keyshift.Gateway;

/// <summary>
/// The gateway's request pipeline: picks the integration, identifies the consumer by its legacy key, routes
/// by the integration's mode, forwards, records the ledger and queues the shadow comparison.
/// </summary>
internal sealed class GatewayProxy(
    IReadOnlyList<IntegrationRuntime> integrations,
    Forwarder forwarder,
    UsageLedger ledger,
    GatewayMetrics metrics,
    ShadowQueue shadow,
    TimeProvider time,
    ShiftJudge judge,
    ILogger logger)
{
    private readonly Dictionary<string, IntegrationRuntime> _byName = integrations.ToDictionary(i => i.Name, StringComparer.Ordinal);

    public async Task HandleAsync(HttpContext context)
    {
        var (integration, path) = Route(context.Request.Path.Value ?? "/");
        if (integration is null)
        {
            await Forwarder.Error(context, 404, $"no integration here: the first path segment names the integration ({string.Join(", ", _byName.Keys)})");
            return;
        }
        var config = integration.Config;
        var request = context.Request;
        var endpoint = RouteTemplate.Of(request.Method, path);
        var presented = LegacyCredential.Read(request, config.Legacy.Auth);
        var (consumer, fingerprint) = presented is null ? (null, default(Fingerprint)) : integration.Consumers.Identify(presented);
        var consumerName = consumer?.Name ?? ConsumerDirectory.Unknown;
        var toNew = ChooseNew(integration, consumer, presented is not null, config.Mode == IntegrationMode.Shift ? RoutingKey(context.Request.Headers, context.TraceIdentifier) : null);
        if (toNew is null)
        {
            // New mode after the sunset: the legacy path is closed, and says where to go.
            var guide = config.Guide is { } g ? $" See the migration guide: {g.AbsoluteUri}" : "";
            await Forwarder.Error(context, 410, $"the legacy API of {config.Name} was retired on {config.Sunset:yyyy-MM-dd}; use the new API with OAuth2 client credentials.{guide}",
                r => integration.Deprecation.Apply(r.Headers));
            ledger.Record(new UsageKey(config.Name, consumerName, fingerprint.Hex ?? "", endpoint, config.Legacy.Auth.Scheme, "legacy"), 410, false, TimeSpan.Zero);
            return;
        }
        if (toNew.Value)
            await ForwardToNewAsync(context, integration, consumer, presented is not null, path, endpoint, fingerprint);
        else
            await ForwardToLegacyAsync(context, integration, consumerName, path, endpoint, fingerprint, presented is not null);
    }

    /// <summary>The integration the first path segment names (or the only one), and the path without that segment.</summary>
    internal (IntegrationRuntime? Integration, string Path) Route(string path)
    {
        var end = path.Length > 1 ? path.IndexOf('/', 1) : -1;
        var segment = path.Length > 1 ? (end < 0 ? path.AsSpan(1) : path.AsSpan(1, end - 1)) : default;
        if (!segment.IsEmpty && _byName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(segment, out var named))
            return (named, end < 0 ? "/" : path[end..]);
        return integrations.Count == 1 ? (integrations[0], path) : (null, path);
    }

    /// <summary>
    /// True to new, false to legacy, null when the legacy path is closed (new mode after the sunset). In shift mode,
    /// the routing key (<see cref="RoutingKey"/>) decides a request's share; it is read in no other mode.
    /// </summary>
    internal bool? ChooseNew(IntegrationRuntime integration, IntegrationConsumer? consumer, bool legacyCredential, string? routingKey)
    {
        var config = integration.Config;
        switch (config.Mode)
        {
            case IntegrationMode.New:
                var afterSunset = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime) >= config.Sunset;
                return afterSunset && legacyCredential ? null : true;
            case IntegrationMode.Shift when consumer is not null && !integration.Guard.RolledBack:
                if (consumer.Pin is { } pin)
                    return pin == "new";
                return ShiftGuard.Bucket(consumer.Name + "\n" + routingKey) < config.Weight;
            default:
                return false;
        }
    }

    /// <summary>A retried request goes the same way: its idempotency key or request id decides, else the request's own id.</summary>
    internal static string RoutingKey(IHeaderDictionary headers, string requestId) =>
        headers["Idempotency-Key"].ToString() is { Length: > 0 } idem ? idem
        : headers["X-Request-Id"].ToString() is { Length: > 0 } id ? id
        : requestId;

    private async Task ForwardToLegacyAsync(HttpContext context, IntegrationRuntime integration, string consumer, string path, string endpoint, Fingerprint fingerprint, bool hasCredential)
    {
        var config = integration.Config;
        var request = context.Request;
        var safe = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);
        // Shift mode mirrors its legacy share too when the diff rate is judged (rollback.diffRate).
        var compares = config.Mode == IntegrationMode.Shadow || config.Mode == IntegrationMode.Shift && integration.Guard.JudgesDiffs && !integration.Guard.RolledBack;
        var mirror = compares && consumer != ConsumerDirectory.Unknown && (safe || config.MirrorUnsafe);
        byte[]? body = null;
        if (mirror && !safe)
        {
            // An unsafe request is mirrored only when its body fits in memory and it carries (or gets) an idempotency key.
            body = await ReadBodyAsync(request);
            if (body is not null && request.Headers["Idempotency-Key"].Count == 0)
                request.Headers["Idempotency-Key"] = Guid.NewGuid().ToString("N");
            mirror = body is not null;
        }
        var pathAndQuery = path + request.QueryString.Value;
        using var message = Forwarder.CreateRequest(context, config.Legacy.Url, pathAndQuery, static _ => false, body is null ? null : new ByteArrayContent(body));
        var result = await forwarder.ForwardAsync(context, message, r => integration.Deprecation.Apply(r.Headers), mirror, config.CompareHeaders);
        Record(integration, consumer, fingerprint, endpoint, config.Legacy.Auth.Scheme, "legacy", result);
        if (!hasCredential || result.Captured is not { } legacyAnswer || legacyAnswer.Body is null)
            return;
        var auth = config.Legacy.Auth;
        var toNew = new UpstreamRequest(request.Method, path + LegacyCredential.QueryWithout(request, auth),
            Forwarder.Snapshot(context, name => LegacyCredential.IsCredentialHeader(name, auth)), body);
        var replay = safe && integration.Noise.TakeSample(endpoint)
            ? new UpstreamRequest(request.Method, pathAndQuery, Forwarder.Snapshot(context, static _ => false), null)
            : null;
        QueueShadow(integration, consumer, endpoint, safe, toNew, legacyAnswer, replay);
    }

    /// <summary>
    /// Queues the comparison of a legacy answer with the new endpoint's. A safe request may be one of the endpoint's
    /// noise samples (<see cref="NoiseModel.TakeSample"/>): then <paramref name="replay"/> is the request sent to
    /// legacy a second time.
    /// </summary>
    internal void QueueShadow(IntegrationRuntime integration, string consumer, string endpoint, bool safe, UpstreamRequest toNew, CapturedResponse legacyAnswer,
        UpstreamRequest? replay)
    {
        var queued = shadow.TryEnqueue(new ShadowJob
        {
            Integration = integration, Consumer = consumer, Endpoint = endpoint, ToNew = toNew, Legacy = legacyAnswer, ReplayToLegacy = replay,
            AwaitNoise = safe && replay is null,
        });
        if (!queued && replay is not null)
            integration.Noise.SampleDone(endpoint);
    }

    private async Task ForwardToNewAsync(HttpContext context, IntegrationRuntime integration, IntegrationConsumer? consumer, bool hasCredential, string path, string endpoint, Fingerprint fingerprint)
    {
        var config = integration.Config;
        var request = context.Request;
        var auth = config.Legacy.Auth;
        var translate = consumer is not null;
        using var message = Forwarder.CreateRequest(context, config.New.Url, path + (translate ? LegacyCredential.QueryWithout(request, auth) : request.QueryString.Value),
            name => translate && LegacyCredential.IsCredentialHeader(name, auth), null);
        if (translate && config.New.Auth.Type == EndpointAuthType.OAuth2 && integration.Tokens.TryGetValue(consumer!.Name, out var tokens))
        {
            try
            {
                var token = await tokens.GetAsync(context.RequestAborted);
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value.RevealUtf8());
            }
            catch (TokenException e)
            {
                Log.TokenFailed(logger, config.Name, consumer.Name, e.Message);
                metrics.Increment("keyshift_gateway_token_requests_total", ("integration", config.Name), ("consumer", consumer.Name), ("result", "failed"));
                if (config.Mode == IntegrationMode.Shift && request.ContentLength is null or 0 && !HasBody(request))
                {
                    // In shift mode legacy still works: a failed token exchange sends the request there instead.
                    await ForwardToLegacyAsync(context, integration, consumer.Name, path, endpoint, fingerprint, hasCredential);
                    judge.Answer(integration, failed: true);
                    return;
                }
                await Forwarder.Error(context, 503, $"the gateway could not obtain an access token for {consumer.Name} from the identity provider");
                Record(integration, consumer.Name, fingerprint, endpoint, config.New.Auth.Scheme, "new", new ForwardResult(503, true, TimeSpan.Zero, null));
                judge.Answer(integration, failed: true);
                return;
            }
        }
        var via = translate ? integration.Clients.GetValueOrDefault(consumer!.Name) : null;
        var result = await forwarder.ForwardAsync(context, message, null, false, [], via);
        if (result.Status == 401 && translate)
            integration.Tokens.GetValueOrDefault(consumer!.Name)?.Invalidate();
        Record(integration, consumer?.Name ?? ConsumerDirectory.Unknown, fingerprint, endpoint, translate ? config.New.Auth.Scheme : "passthrough", "new", result);
        if (config.Mode == IntegrationMode.Shift)
            judge.Answer(integration, result.Error);
    }

    internal void Record(IntegrationRuntime integration, string consumer, Fingerprint fingerprint, string endpoint, string scheme, string target, ForwardResult result)
    {
        ledger.Record(new UsageKey(integration.Name, consumer, fingerprint.Hex ?? "", endpoint, scheme, target), result.Status, result.Error, result.Latency);
        metrics.CountRequest(integration.Name, consumer, target, result.Status);
        metrics.Observe(integration.Name, target, result.Latency);
        if (result.Error)
            Log.UpstreamFailed(logger, integration.Name, target, result.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static bool HasBody(HttpRequest request) =>
        request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > Forwarder.CaptureLimit)
            return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > Forwarder.CaptureLimit)
            {
                // Too large to mirror: what was read still goes to legacy, followed by the rest of the stream.
                buffer.Write(chunk, 0, read);
                request.Body = new ConcatStream(buffer.ToArray(), request.Body);
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
