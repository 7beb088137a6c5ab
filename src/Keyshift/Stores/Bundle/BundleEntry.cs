using Keyshift.Secrets;

namespace Keyshift.Stores.Bundle;

/// <summary>
/// One secret in a bundle: its value, when that value was written into the bundle, and where it came
/// from (the source address, for exports). No fingerprint is kept: a bundle must not link values across workspaces.
/// </summary>
internal sealed record BundleEntry(SecretValue Value, DateTimeOffset Created, string? Source = null);
