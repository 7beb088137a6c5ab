namespace Keyshift.Apis.Integrations;

/// <summary>How a request authenticates to an endpoint.</summary>
public enum EndpointAuthType
{
    None,
    ApiKey,
    Basic,
    Bearer,
    OAuth2,
}
