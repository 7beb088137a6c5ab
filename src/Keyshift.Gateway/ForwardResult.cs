namespace Keyshift.Gateway;

/// <summary>How a forwarded request went: the status sent to the client, whether it counts as an error, how long it took and (when asked) the answer captured.</summary>
internal sealed record ForwardResult(int Status, bool Error, TimeSpan Latency, CapturedResponse? Captured);
