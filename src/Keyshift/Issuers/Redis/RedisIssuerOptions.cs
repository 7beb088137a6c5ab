using Keyshift.Configuration;

namespace Keyshift.Issuers.Redis;

/// <summary>The settings of a <c>redis</c> issuer.</summary>
public sealed record RedisIssuerOptions
{
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 6379;

    /// <summary>The ACL user Keyshift administers with (<c>default</c> unless set).</summary>
    public string AdminUser { get; init; } = "default";

    public required CredentialReference Admin { get; init; }

    /// <summary>TLS with certificate and host name verification.</summary>
    public bool Tls { get; init; }

    /// <summary>A second password on the same user (default), or a second user with the same rules.</summary>
    public RedisStrategy Strategy { get; init; } = RedisStrategy.MultiPassword;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public required PasswordGenerator Passwords { get; init; }
}
