using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Contracts;

/// <summary>An OAuth2 flow with 3.x names (<c>clientCredentials</c>, <c>authorizationCode</c>, <c>password</c>, <c>implicit</c>).</summary>
internal sealed record OAuthFlow(string Name, string? AuthorizationUrl, string? TokenUrl, string? RefreshUrl, IReadOnlyList<string> Scopes, ApiNode Node)
{
    public string Describe() => Name switch
    {
        "clientCredentials" => "client credentials",
        "authorizationCode" => "the authorization-code flow",
        "password" => "the password flow",
        "implicit" => "the implicit flow",
        _ => $"the {Name} flow",
    };
}
