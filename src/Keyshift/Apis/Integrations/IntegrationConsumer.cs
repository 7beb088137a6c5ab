using Keyshift.Configuration;

namespace Keyshift.Apis.Integrations;

/// <summary>
/// A consumer of an integration: where its legacy key lives (which identifies it at the gateway) and its
/// OAuth2 client for the new endpoint. Only references, never values.
/// </summary>
public sealed record IntegrationConsumer
{
    public required string Name { get; init; }

    public required CredentialReference LegacyKey { get; init; }

    public string? ClientId { get; init; }

    public CredentialReference? ClientSecret { get; init; }

    /// <summary>mtls: this consumer's client certificate (PEM) for the new endpoint; the integration's when not given.</summary>
    public CredentialReference? Certificate { get; init; }

    /// <summary>mtls: the private key of <see cref="Certificate"/>.</summary>
    public CredentialReference? PrivateKey { get; init; }

    /// <summary>In shift mode, send all of this consumer's traffic to one side (<c>legacy</c> or <c>new</c>), whatever the weight.</summary>
    public string? Pin { get; init; }
}
