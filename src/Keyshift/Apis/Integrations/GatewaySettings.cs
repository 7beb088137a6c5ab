namespace Keyshift.Apis.Integrations;

/// <summary>The <c>gateway:</c> section: where the proxy and the admin endpoints (metrics, health) listen.</summary>
public sealed record GatewaySettings
{
    public string Listen { get; init; } = "127.0.0.1:8080";

    public string Admin { get; init; } = "127.0.0.1:8081";

    /// <summary>How often the usage ledger is written to the state database.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for an upstream answer (headers) before the gateway answers 504.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Protocols of the proxy listener: <c>http1and2</c> (HTTP/2 where it can be negotiated — with <c>tls:</c>, by
    /// ALPN; on a cleartext listener that means HTTP/1.1), <c>http1</c>, or <c>http2</c> (over TLS, or cleartext with
    /// prior knowledge, h2c).
    /// </summary>
    public string Protocols { get; init; } = "http1and2";

    /// <summary>Shadow requests in flight at once; one more is dropped and counted.</summary>
    public int ShadowQueue { get; init; } = 1000;

    /// <summary>The proxy listener's own certificate and key (PEM, from stores or files); null for cleartext.</summary>
    public Configuration.CredentialReference? TlsCertificate { get; init; }

    public Configuration.CredentialReference? TlsPrivateKey { get; init; }
}
