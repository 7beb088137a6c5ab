using Keyshift.Configuration;
using Keyshift.Issuers;
using Keyshift.Secrets;

namespace Keyshift.Planning;

/// <summary>The migration of one secret: source → target under one config entry. Its id is its source address.</summary>
public sealed record Move(SecretAddress Source, SecretAddress Target, MoveConfig Config)
{
    public string Id => Source.ToString();

    /// <summary>Credential replacement: the issuer where the new credential is valid; null for storage replacement.</summary>
    public Issuer? Issuer { get; init; }

    /// <summary>Credential replacement: where each field of the new credential goes (<c>app/db#username</c>, or <c>APP_DB_USERNAME</c> in a flat store).</summary>
    public IReadOnlyDictionary<string, SecretAddress> Fields { get; init; } = new Dictionary<string, SecretAddress>();

    /// <summary>
    /// Credential replacement from a map holding the credential's fields (<c>governed:app/db</c>, as a first rotation
    /// writes them): where each field of the credential in use is read; empty when the source is one value.
    /// </summary>
    public IReadOnlyDictionary<string, SecretAddress> SourceFields { get; init; } = new Dictionary<string, SecretAddress>();

    public bool IsCredential => Issuer is not null;

    /// <summary>The retirement of a consumer's legacy API key at an integration (<c>integration:</c>); see Executor.Integration.cs.</summary>
    public bool IsIntegration => Config.Integration is not null;

    /// <summary>An integration move's http issuer, whose revoke template revokes the legacy key at the partner's admin API.</summary>
    public Issuer? Revoker { get; init; }

    /// <summary>The address whose value stands for the source: the source itself, or the secret field of a multi-field source.</summary>
    public SecretAddress PrimarySource => SourceFields.Count == 0 ? Source : SourceFields[PrimaryField(Issuer!)];

    /// <summary>Every address retirement deletes from the source store.</summary>
    public IEnumerable<SecretAddress> SourceAddresses => SourceFields.Count == 0 ? [Source] : SourceFields.Values;

    /// <summary>The address whose fingerprint stands for the target: the target itself, or the credential's secret field.</summary>
    public SecretAddress PrimaryTarget => Issuer is null ? Target : Fields[PrimaryField(Issuer)];

    /// <summary>The field that changes with every issue and identifies it: the password where there is one.</summary>
    public static string PrimaryField(Issuer issuer) =>
        issuer.Fields.Contains(Credential.Password) ? Credential.Password : issuer.Fields[0];

    /// <summary>
    /// A credential move for <paramref name="issuer"/>: one target address per field, nested (<c>#field</c>) or flat (<c>_FIELD</c>).
    /// With <paramref name="flatFields"/> a flat source names a group of keys (<c>APP_DB</c> → <c>APP_DB_USERNAME</c>,
    /// <c>APP_DB_PASSWORD</c>) rather than one value — decided by the caller from the store's listing.
    /// </summary>
    public static Move ForCredential(SecretAddress source, SecretAddress target, MoveConfig config, Issuer issuer, Stores.Store sourceStore, Stores.Store store, bool flatFields = false)
    {
        // A map in a nested store (no #key) holds the fields of the credential in use, as a target of an earlier rotation does.
        var sourceFields = source.Key is null && sourceStore.Capabilities.HasFlag(Stores.StoreCapabilities.Nested)
            ? issuer.Fields.ToDictionary(f => f, f => source with { Key = f }, StringComparer.Ordinal)
            : flatFields
                ? issuer.Fields.ToDictionary(f => f, f => FlatField(source, f), StringComparer.Ordinal)
                : new Dictionary<string, SecretAddress>(StringComparer.Ordinal);
        var fields = new Dictionary<string, SecretAddress>(StringComparer.Ordinal);
        foreach (var field in issuer.Fields)
        {
            var nested = target with { Key = field };
            fields[field] = store.CheckAddress(nested) is null ? nested : FlatField(target, field);
        }
        return new Move(source, target, config) { Issuer = issuer, Fields = fields, SourceFields = sourceFields };
    }

    /// <summary>The key of one field of a credential in a flat store: <c>APP_DB</c> + <c>password</c> → <c>APP_DB_PASSWORD</c>.</summary>
    public static SecretAddress FlatField(SecretAddress group, string field) => new(group.Store, $"{group.Path}_{FlatName(field)}");

    // privateKey → PRIVATE_KEY, the way flat stores (dotenv) spell keys.
    private static string FlatName(string field) =>
        string.Concat(field.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + c : char.ToUpperInvariant(c).ToString()));
}
