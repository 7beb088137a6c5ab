using Keyshift.Configuration;
using Npgsql;

namespace Keyshift.Issuers.Postgres;

/// <summary>The settings of a <c>postgres</c> issuer, validated once at load.</summary>
public sealed record PostgresIssuerOptions
{
    public string? Host { get; init; }

    public int? Port { get; init; }

    public string? Database { get; init; }

    public required CredentialReference Admin { get; init; }

    public PostgresStrategy Strategy { get; init; } = PostgresStrategy.AlternatingUsers;

    /// <summary>Retirement drops the old role (after NOLOGIN and ending its sessions) instead of keeping it NOLOGIN.</summary>
    public bool DropOld { get; init; }

    /// <summary>Set explicitly; null means the default (<see cref="PostgresTls.DefaultFor"/>) unless the admin URI says.</summary>
    public SslMode? SslMode { get; init; }

    public string? RootCertificate { get; init; }

    /// <summary>The server's connection log (<c>log_connections</c>) for telemetry.</summary>
    public string? Log { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public required PasswordGenerator Passwords { get; init; }
}
