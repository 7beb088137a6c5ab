using Keyshift.Secrets;

namespace Keyshift.Configuration;

/// <summary>
/// Where a credential the tool itself needs comes from: <c>env:NAME</c>, <c>file:PATH</c> or a store
/// address. Never the credential inline in the config.
/// </summary>
public sealed record CredentialReference(string Kind, string Target)
{
    public static CredentialReference? TryParse(string text, out string? problem)
    {
        problem = null;
        if (text.StartsWith("env:", StringComparison.Ordinal) && text.Length > 4)
            return new CredentialReference("env", text[4..]);
        if (text.StartsWith("file:", StringComparison.Ordinal) && text.Length > 5)
            return new CredentialReference("file", text[5..]);
        var address = SecretAddress.TryParse(text, out _);
        if (address is not null && !text.Contains(' ', StringComparison.Ordinal) && !text.Contains("://", StringComparison.Ordinal))
            return new CredentialReference("store", text);
        problem = "must be env:NAME, file:PATH or a store address (store:path#key); credentials are never written inline";
        return null;
    }

    public override string ToString() => $"{Kind}:{Target}";
}
