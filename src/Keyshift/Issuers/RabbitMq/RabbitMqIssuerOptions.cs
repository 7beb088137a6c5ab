using Keyshift.Configuration;

namespace Keyshift.Issuers.RabbitMq;

/// <summary>The settings of a <c>rabbitmq</c> issuer.</summary>
public sealed record RabbitMqIssuerOptions
{
    /// <summary>The management API (<c>http://host:15672</c>); HTTPS certificates are verified.</summary>
    public required Uri Management { get; init; }

    /// <summary>AMQP host and port for probes.</summary>
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 5672;

    public string VirtualHost { get; init; } = "/";

    public string AdminUser { get; init; } = "guest";

    public required CredentialReference Admin { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public required PasswordGenerator Passwords { get; init; }
}
