using Keyshift.Configuration;
using Keyshift.Secrets;

namespace Keyshift.Issuers;

/// <summary>
/// What an issuer is built from: its name and settings in <c>keyshift.yaml</c>, the workspace, how the
/// credentials Keyshift itself needs are resolved (<c>env:</c>, <c>file:</c>, store addresses), the clock,
/// and the workspace key (to keep keyed fingerprints of server-side password hashes, never the hashes).
/// </summary>
public sealed record IssuerContext(
    string Name,
    Settings Settings,
    Workspace Workspace,
    CredentialResolver Credentials,
    FingerprintKey Key,
    TimeProvider Time)
{
    /// <summary>Reads an optional path setting resolved against the workspace; reports escapes as bad input.</summary>
    public string? OptionalPath(string key)
    {
        var text = Settings.String(key);
        if (string.IsNullOrEmpty(text))
            return null;
        var full = Workspace.Resolve(text);
        if (full is null)
            Settings.Error(key, $"'{text}' leaves the workspace {Workspace.Root}; write an absolute path to mean it");
        return full;
    }
}
