namespace Keyshift.Apis.Integrations;

/// <summary>How a request authenticates to an endpoint.</summary>
public enum EndpointAuthType
{
    None,
    ApiKey,
    Basic,
    Bearer,
    OAuth2,

    /// <summary>Mutual TLS: the gateway presents the consumer's client certificate (new side only).</summary>
    Mtls,
}
