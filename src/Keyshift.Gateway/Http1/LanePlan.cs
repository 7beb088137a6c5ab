using Keyshift.Secrets;

namespace Keyshift.Gateway.Http1;

/// <summary>What the lane does with one request: which legacy endpoint, for whom, and whether the answer is mirrored.</summary>
internal sealed record LanePlan(
    IntegrationRuntime Integration,
    UpstreamPool Pool,
    string Path,
    string Consumer,
    Fingerprint Fingerprint,
    bool HasCredential,
    string Endpoint,
    bool Safe,
    bool Mirror);
