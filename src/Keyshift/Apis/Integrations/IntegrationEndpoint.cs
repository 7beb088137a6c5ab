namespace Keyshift.Apis.Integrations;

/// <summary>One side of an integration: its base URL and how requests authenticate to it.</summary>
public sealed record IntegrationEndpoint
{
    public required Uri Url { get; init; }

    public EndpointAuth Auth { get; init; } = new();
}
