namespace Keyshift.Gateway;

/// <summary>An upstream answer kept for a shadow comparison: status, the compared headers and the body (null when it was too large to keep).</summary>
internal sealed record CapturedResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[]? Body);
