namespace Keyshift.Gateway;

/// <summary>What one ledger row counts: a credential (fingerprint) of a consumer at an endpoint with an auth scheme, on one side.</summary>
internal readonly record struct UsageKey(string Integration, string Consumer, string Fingerprint, string Endpoint, string AuthScheme, string Target);
