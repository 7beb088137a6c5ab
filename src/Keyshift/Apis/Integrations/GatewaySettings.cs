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
    /// Protocols of the proxy listener: <c>http1and2</c> (HTTP/2 where it can be negotiated, which on a cleartext
    /// listener means HTTP/1.1), <c>http1</c>, or <c>http2</c> (cleartext HTTP/2 with prior knowledge, h2c).
    /// </summary>
    public string Protocols { get; init; } = "http1and2";

    /// <summary>Shadow requests waiting to be sent; more are dropped and counted.</summary>
    public int ShadowQueue { get; init; } = 1000;
}
