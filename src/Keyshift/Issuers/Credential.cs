using Keyshift.Secrets;

namespace Keyshift.Issuers;

/// <summary>
/// A credential: its descriptor and its secret fields (<c>username</c>, <c>password</c>; x509
/// <c>certificate</c>, <c>privateKey</c>, optionally <c>pkcs12</c>; an API key <c>key</c>). The engine writes the fields to the
/// target store; an old credential is rebuilt from its descriptor and the values read from the source store.
/// </summary>
public sealed record Credential(CredentialDescriptor Descriptor, IReadOnlyDictionary<string, SecretValue> Fields)
{
    public const string Username = "username";
    public const string Password = "password";
    public const string Certificate = "certificate";
    public const string PrivateKey = "privateKey";
    public const string Pkcs12 = "pkcs12";
    public const string Key = "key";

    public SecretValue? Field(string name) => Fields.TryGetValue(name, out var v) ? v : null;

    /// <summary>A username/password credential.</summary>
    public static Credential Login(CredentialDescriptor descriptor, SecretValue password) => new(descriptor, new Dictionary<string, SecretValue>(StringComparer.Ordinal)
    {
        [Username] = SecretValue.FromUtf8(descriptor.Username),
        [Password] = password,
    });

    /// <summary>Only the descriptor: enough for issuers that revoke by name or id.</summary>
    public static Credential Described(CredentialDescriptor descriptor) => new(descriptor, new Dictionary<string, SecretValue>(StringComparer.Ordinal));

    public override string ToString() => $"credential {Descriptor} (fields: {string.Join(", ", Fields.Keys.Order(StringComparer.Ordinal))})";
}
