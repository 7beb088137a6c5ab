using Keyshift.Apis.Integrations;

namespace Keyshift.Gateway;

/// <summary>An integration as the gateway runs it: its config, who its consumers are, their token clients, learned noise and the shift guard.</summary>
internal sealed class IntegrationRuntime(IntegrationConfig config, ConsumerDirectory consumers, IReadOnlyDictionary<string, TokenClient> tokens)
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
}
