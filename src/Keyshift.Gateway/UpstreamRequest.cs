namespace Keyshift.Gateway;

/// <summary>
/// A request as it will be sent upstream, detached from the client's connection (for shadow and replay): method,
/// path with query, end-to-end headers and the body when it was buffered. Held in memory only.
/// </summary>
internal sealed record UpstreamRequest(string Method, string PathAndQuery, IReadOnlyList<KeyValuePair<string, string[]>> Headers, byte[]? Body);
