using Keyshift.Configuration;

namespace Keyshift.Issuers.Http;

/// <summary>The settings of an <c>http</c> issuer.</summary>
public sealed record HttpIssuerOptions
{
    /// <summary>The admin API's base URL (https, or http on loopback); certificates are verified.</summary>
    public required Uri Url { get; init; }

    public required CredentialReference Admin { get; init; }

    /// <summary><c>bearer</c>, <c>basic</c> (admin holds user:password) or <c>header:NAME</c>.</summary>
    public string Auth { get; init; } = "bearer";

    public required HttpCall Create { get; init; }

    public required HttpCall Revoke { get; init; }

    public HttpCall? Find { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
