namespace Keyshift.Issuers;

/// <summary>Where a probe reaches the system an issuer manages; probe settings override each part.</summary>
public sealed record Endpoint(string Host, int Port, string? Database = null, string? VirtualHost = null, string? TlsMode = null, Uri? Url = null);
