using Keyshift.Secrets;

namespace Keyshift.Gateway;

/// <summary>An OAuth2 access token in memory only, with when it expires and when to fetch the next one.</summary>
internal sealed record AccessToken(SecretValue Value, DateTimeOffset ExpiresAt, DateTimeOffset RefreshAt);
