using Keyshift.Configuration;
using Keyshift.Secrets;

namespace Keyshift.Issuers;

/// <summary>
/// Turns a <see cref="CredentialReference"/> into its value when an issuer needs it (late, so a missing
/// variable is reported when the credential is used, naming the issuer and field). <c>env:</c> and
/// <c>file:</c> are handled here; store addresses go to <see cref="StoreReader"/>, which the engine supplies.
/// </summary>
public sealed class CredentialResolver(Workspace workspace, Func<SecretAddress, CancellationToken, ValueTask<SecretValue?>>? storeReader = null)
{
    public Func<SecretAddress, CancellationToken, ValueTask<SecretValue?>>? StoreReader { get; } = storeReader;

    /// <summary>The value, or an <see cref="IssuerException"/> naming <paramref name="owner"/> and <paramref name="field"/>.</summary>
    public async ValueTask<SecretValue> ResolveAsync(CredentialReference reference, string owner, string field, CancellationToken cancellationToken)
    {
        switch (reference.Kind)
        {
            case "env":
                var text = Environment.GetEnvironmentVariable(reference.Target);
                if (string.IsNullOrEmpty(text))
                    throw new IssuerException($"{owner}: {field}: environment variable {reference.Target} is not set");
                return SecretValue.FromUtf8(text);
            case "file":
                var path = workspace.Resolve(reference.Target) ?? Path.GetFullPath(reference.Target);
                try
                {
                    var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
                    return SecretValue.FromBytes(TrimNewline(bytes));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new IssuerException($"{owner}: {field}: cannot read {path}: {e.Message}", e);
                }
            default:
                if (StoreReader is null)
                    throw new IssuerException($"{owner}: {field}: store references ({reference.Target}) are not available here");
                var address = SecretAddress.Parse(reference.Target);
                return await StoreReader(address, cancellationToken)
                    ?? throw new IssuerException($"{owner}: {field}: {reference.Target} holds no value");
        }
    }

    // Files written by editors end with a newline that is not part of the credential.
    private static ReadOnlySpan<byte> TrimNewline(byte[] bytes)
    {
        var span = bytes.AsSpan();
        while (span.Length > 0 && (span[^1] == (byte)'\n' || span[^1] == (byte)'\r'))
            span = span[..^1];
        return span;
    }
}
