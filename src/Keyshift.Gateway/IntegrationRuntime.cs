using Keyshift.Apis.Integrations;

namespace Keyshift.Gateway;

/// <summary>An integration as the gateway runs it: its config, who its consumers are, their token clients, learned noise and the shift guard.</summary>
internal sealed class IntegrationRuntime(IntegrationConfig config, ConsumerDirectory consumers, IReadOnlyDictionary<string, TokenClient> tokens) : IDisposable
{
    public IntegrationConfig Config { get; } = config;

    public string Name => Config.Name;

    public ConsumerDirectory Consumers { get; } = consumers;

    /// <summary>Token clients by consumer name (new endpoints with OAuth2 only).</summary>
    public IReadOnlyDictionary<string, TokenClient> Tokens { get; } = tokens;

    /// <summary>Mutual-TLS clients by consumer name (new endpoints with mtls only), each presenting the consumer's certificate.</summary>
    public IReadOnlyDictionary<string, HttpMessageInvoker> Clients { get; init; } = new Dictionary<string, HttpMessageInvoker>();

    public NoiseModel Noise { get; } = new(config.NoiseSamples);

    public DeprecationHeaders Deprecation { get; } = new(config);

    public ShiftGuard Guard { get; } = new(config.Rollback);

    /// <summary>Kept-alive raw connections to the legacy endpoint (plain HTTP only; null for https): the fast lane and noise replays use them.</summary>
    public Http1.UpstreamPool? LegacyPool { get; } = config.Legacy.Url.Scheme == Uri.UriSchemeHttp ? new(config.Legacy.Url) : null;

    /// <summary>The same for the new endpoint (shadow requests), when it is plain HTTP.</summary>
    public Http1.UpstreamPool? NewPool { get; } = config.New.Url.Scheme == Uri.UriSchemeHttp ? new(config.New.Url) : null;

    /// <summary>The heartbeat's round over this integration's upstream connections.</summary>
    public void Expire(long now)
    {
        LegacyPool?.Expire(now);
        NewPool?.Expire(now);
    }

    public void Dispose()
    {
        LegacyPool?.Dispose();
        NewPool?.Dispose();
    }
}
