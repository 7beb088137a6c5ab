using Keyshift.Issuers;
using Keyshift.Probes;
using Keyshift.Secrets;
using YamlDotNet.RepresentationModel;

namespace Keyshift.Configuration;

/// <summary>Moves that retire a consumer's legacy API key (<c>integration:</c>), checked against the integrations block.</summary>
public static partial class ConfigLoader
{
    /// <summary>
    /// Finds the consumer of <paramref name="integration"/> whose <c>legacyKey</c> is <paramref name="from"/>, and the
    /// move's target: <paramref name="to"/> when written, else that consumer's <c>clientSecret</c> (its new credential).
    /// The integrations block itself is validated by its own reader; this reads its raw nodes so no error is reported twice.
    /// </summary>
    private static (string To, string? Consumer) ReadIntegrationMove(Settings s, KeyshiftConfig config, string from, string integration, string to)
    {
        var integrations = config.Sections.GetValueOrDefault("integrations");
        if (integrations?.Node(integration) is not YamlMappingNode node)
        {
            var known = integrations?.Keys.ToList() ?? [];
            s.Error("integration", $"unknown integration '{integration}'; declared integrations: {(known.Count == 0 ? "none" : string.Join(", ", known))}");
            return (to, null);
        }
        var consumers = Child(node, "consumers") as YamlMappingNode;
        var keys = new List<string>();
        foreach (var (name, value) in consumers?.Children.AsEnumerable() ?? [])
        {
            if (value is not YamlMappingNode consumer || Scalar(consumer, "legacyKey") is not { } legacyKey)
                continue;
            keys.Add(legacyKey);
            if (!string.Equals(legacyKey, from, StringComparison.Ordinal))
                continue;
            if (to.Length > 0)
                return (to, name.ToString());
            var secret = Scalar(consumer, "clientSecret");
            if (secret is not null && CredentialReference.TryParse(secret, out _) is { Kind: "store" })
                return (secret, name.ToString());
            s.Errors.Add(s.Location, s.Field("to"), $"is required: consumer '{name}' of integration '{integration}' has no clientSecret in a store to stand for its new credential; name where the new credential lives");
            return (to, name.ToString());
        }
        s.Error("from", $"'{from}' is not the legacyKey of any consumer of integration '{integration}'; its consumers' legacy keys: {(keys.Count == 0 ? "none" : string.Join(", ", keys))}");
        return (to, null);
    }

    /// <summary>
    /// The probes of an integration move run with the OLD key after revocation and must be refused (the default probe,
    /// built from the integration's legacy endpoint, is added by the engine). An issuer, if named, only revokes.
    /// </summary>
    private static List<ConfiguredProbe> ReadIntegrationProbes(Settings s, KeyshiftConfig config, string? issuer, List<Settings> probes)
    {
        Issuer? built = null;
        if (issuer is not null && !config.Issuers.TryGetValue(issuer, out built))
            s.Error("issuer", $"unknown issuer '{issuer}'; declared issuers: {(config.Issuers.Count == 0 ? "none" : string.Join(", ", config.Issuers.Keys))}");
        else if (built is not null && built.Type != "http")
            s.Error("issuer", $"issuer '{issuer}' is of type {built.Type}; a legacy API key is revoked through an http issuer (its revoke template) or, without an issuer, by deleting it from its store");
        if (built is not null && string.IsNullOrWhiteSpace(s.String("account")))
            s.Errors.Add(s.Location, s.Field("account"), "is required with an issuer: the legacy key's id at the admin API (what its revoke template fills into {id})");
        var checks = new List<ConfiguredProbe>();
        var i = 0;
        foreach (var settings in probes)
        {
            var type = settings.RequireString("type");
            var name = i++ == 0 ? type : $"{type}#{i}";
            if (type.Length == 0)
                continue;
            var context = new ProbeContext(name, settings, built, config.Workspace, TimeProvider.System);
            if (ProbeTypes.Expectation(context) == ProbeExpectation.Success && settings.Has("expect"))
                settings.Error("expect", "the probes of a legacy key's retirement run with the retired key and must be refused: drop expect or write expect: refused");
            if (ProbeTypes.Create(type, context) is { } probe)
                checks.Add(new ConfiguredProbe(probe, ProbeExpectation.Refused));
        }
        return checks;
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode node, string key) => Child(node, key) is YamlScalarNode { Value: { } v } ? v : null;
}
