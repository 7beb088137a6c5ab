using System.Text.Json;

namespace Keyshift.Issuers;

/// <summary>
/// The non-secret description of one credential at an issuer: which account, which login, and the
/// issuer's own details (strategy, token hash, key id, certificate serial). The engine persists it — the
/// pending one before <see cref="Issuer.IssueAsync"/> — so it never holds a secret or a password hash.
/// </summary>
public sealed record CredentialDescriptor(string Issuer, string Account, string Username, IReadOnlyDictionary<string, string> Details)
{
    public static CredentialDescriptor Of(string issuer, string account, string username, params (string Key, string Value)[] details) =>
        new(issuer, account, username, details.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal));

    public string? Detail(string key) => Details.TryGetValue(key, out var v) ? v : null;

    public CredentialDescriptor With(string key, string value)
    {
        var copy = new Dictionary<string, string>(Details, StringComparer.Ordinal) { [key] = value };
        return this with { Details = copy };
    }

    public string ToJson() => JsonSerializer.Serialize(new Dto(Issuer, Account, Username, new SortedDictionary<string, string>(Details.ToDictionary(), StringComparer.Ordinal)));

    public static CredentialDescriptor FromJson(string json)
    {
        var dto = JsonSerializer.Deserialize<Dto>(json) ?? throw new FormatException("empty credential descriptor");
        return new CredentialDescriptor(dto.Issuer, dto.Account, dto.Username, dto.Details);
    }

    public override string ToString() => $"{Issuer}:{Username}";

    private sealed record Dto(string Issuer, string Account, string Username, SortedDictionary<string, string> Details);
}
