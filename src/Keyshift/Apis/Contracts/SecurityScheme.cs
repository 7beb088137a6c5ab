using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Contracts;

/// <summary>A security scheme, 2.0 definitions mapped to 3.x terms (<c>basic</c> becomes <c>http</c>/<c>basic</c>).</summary>
internal sealed record SecurityScheme(string Name, string Type, ApiNode Node)
{
    public string? ApiKeyName { get; init; }

    public string? In { get; init; }

    /// <summary>Lower-case HTTP auth scheme (<c>basic</c>, <c>bearer</c>, <c>digest</c>).</summary>
    public string? HttpScheme { get; init; }

    public string? BearerFormat { get; init; }

    public IReadOnlyDictionary<string, OAuthFlow> Flows { get; init; } = new Dictionary<string, OAuthFlow>();

    public string? OpenIdConnectUrl { get; init; }

    /// <summary>What a machine client does to satisfy this scheme, in one phrase.</summary>
    public string Describe(IReadOnlyList<string> scopes)
    {
        var withScopes = scopes.Count == 0 ? "" : $" (scope{(scopes.Count > 1 ? "s" : "")} {string.Join(", ", scopes)})";
        return Type switch
        {
            "apiKey" => $"send the API key in {In} `{ApiKeyName}`",
            "http" when HttpScheme == "basic" => "send HTTP Basic credentials",
            "http" when HttpScheme == "bearer" => $"send a bearer token{(BearerFormat is null ? "" : $" ({BearerFormat})")}{withScopes}",
            "http" => $"use HTTP {HttpScheme} authentication",
            "oauth2" => DescribeOAuth() + withScopes,
            "openIdConnect" => $"obtain a token through OpenID Connect ({OpenIdConnectUrl}){withScopes}",
            "mutualTLS" => "present a client TLS certificate (mutual TLS)",
            _ => $"use the '{Type}' scheme {Name}",
        };
    }

    /// <summary>The same phrase as a gerund, for "instead of sending the API key …".</summary>
    public static string Gerund(string phrase)
    {
        var space = phrase.IndexOf(' ', StringComparison.Ordinal);
        var verb = space < 0 ? phrase : phrase[..space];
        var ing = verb switch
        {
            "send" => "sending",
            "obtain" => "obtaining",
            "present" => "presenting",
            "use" => "using",
            _ => verb,
        };
        return ing + (space < 0 ? "" : phrase[space..]);
    }

    private string DescribeOAuth()
    {
        // Machine clients use client credentials when the scheme offers it; otherwise name every flow.
        if (Flows.TryGetValue("clientCredentials", out var cc))
            return $"obtain a token from {cc.TokenUrl} with client credentials";
        if (Flows.Count == 0)
            return "obtain an OAuth2 token";
        return "obtain an OAuth2 token via " + string.Join(" or ", Flows.Values.Select(f => f.TokenUrl is null ? f.Describe() : $"{f.Describe()} at {f.TokenUrl}"));
    }
}
