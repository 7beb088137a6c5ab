using Keyshift.Configuration;

namespace Keyshift.Apis.Integrations;

/// <summary>
/// An endpoint's auth scheme: an API key in a header (or query parameter), basic, bearer, or OAuth2 client
/// credentials fetched from <see cref="TokenUrl"/>.
/// </summary>
public sealed record EndpointAuth
{
    public EndpointAuthType Type { get; init; }

    /// <summary>The header that carries an API key (api-key); <c>X-API-Key</c> when neither header nor query is given.</summary>
    public string? Header { get; init; }

    /// <summary>The query parameter that carries an API key, when the key travels in the URL.</summary>
    public string? Query { get; init; }

    public Uri? TokenUrl { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>RFC 8707 resource indicator sent with the token request, when the IdP wants one.</summary>
    public string? Resource { get; init; }

    /// <summary>mtls: the client certificate (PEM) every consumer without its own presents.</summary>
    public CredentialReference? Certificate { get; init; }

    /// <summary>mtls: the private key (PEM, PKCS#8 or PKCS#1) of <see cref="Certificate"/>.</summary>
    public CredentialReference? PrivateKey { get; init; }

    /// <summary>mtls: CA certificates (PEM) the new endpoint's server certificate must chain to, besides the system's.</summary>
    public CredentialReference? Ca { get; init; }

    /// <summary>Text for the ledger and metrics: <c>api-key</c>, <c>basic</c>, <c>bearer</c>, <c>oauth2</c>, <c>none</c>.</summary>
    public string Scheme => Type switch
    {
        EndpointAuthType.ApiKey => "api-key",
        EndpointAuthType.Basic => "basic",
        EndpointAuthType.Bearer => "bearer",
        EndpointAuthType.OAuth2 => "oauth2",
        EndpointAuthType.Mtls => "mtls",
        _ => "none",
    };
}
