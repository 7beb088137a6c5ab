namespace Keyshift.Gateway;

/// <summary>
/// One mirrored request waiting in the shadow queue: the request (without the legacy credential), the legacy
/// answer to compare with, and — only for noise samples — the legacy request to replay. In memory only.
/// </summary>
internal sealed record ShadowJob
{
    public required IntegrationRuntime Integration { get; init; }

    public required string Consumer { get; init; }

    public required string Endpoint { get; init; }

    /// <summary>The request for the new endpoint: legacy credential removed; the bearer token is added when sent.</summary>
    public required UpstreamRequest ToNew { get; init; }

    public required CapturedResponse Legacy { get; init; }

    /// <summary>The same request for legacy (credential included), set only when this request is a noise sample.</summary>
    public UpstreamRequest? ReplayToLegacy { get; init; }

    /// <summary>A safe request after the endpoint's noise samples: compare only once they are learned.</summary>
    public bool AwaitNoise { get; init; }
}
