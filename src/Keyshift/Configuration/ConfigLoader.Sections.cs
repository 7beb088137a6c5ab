using System.Security.Cryptography;
using Keyshift.Issuers;
using Keyshift.Probes;
using Keyshift.Secrets;
using Keyshift.Stores;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keyshift.Configuration;

/// <summary>Stores, issuers, consumers, policy and cutover sections.</summary>
public static partial class ConfigLoader
{
    private static Dictionary<string, Store> ReadStores(Settings top, Workspace workspace)
    {
        var stores = new Dictionary<string, Store>(StringComparer.Ordinal);
        var section = top.Section("stores");
        if (section is null)
        {
            if (!top.Has("stores"))
                top.Errors.Add(top.Location, "stores", "is required: name at least one store");
            return stores;
        }
        foreach (var name in section.Keys)
        {
            var settings = section.Section(name);
            if (settings is null)
                continue;
            if (!IsName(name))
            {
                section.Error(name, "a store name is letters, digits, '-' and '_'");
                continue;
            }
            var type = settings.RequireString("type");
            if (type.Length == 0)
                continue;
            var store = StoreTypes.Create(type, new StoreContext(name, settings, workspace));
            if (store is not null)
                stores[name] = store;
        }
        return stores;
    }

    private static Dictionary<string, Issuer> ReadIssuers(Settings top, Workspace workspace, Dictionary<string, Store> stores, FingerprintKey key)
    {
        var issuers = new Dictionary<string, Issuer>(StringComparer.Ordinal);
        var section = top.Section("issuers");
        if (section is null)
            return issuers;
        // Admin credentials may live in a configured store (admin: legacy:PG_ADMIN_URL): read late, when the issuer connects.
        var resolver = new CredentialResolver(workspace, async (address, ct) =>
            stores.TryGetValue(address.Store, out var store) && (await store.ReadAsync([address], ct)).TryGetValue(address, out var value) ? value : null);
        foreach (var name in section.Keys)
        {
            var settings = section.Section(name);
            if (settings is null)
                continue;
            if (!IsName(name))
            {
                section.Error(name, "an issuer name is letters, digits, '-' and '_'");
                continue;
            }
            var type = settings.RequireString("type");
            if (type.Length == 0)
                continue;
            if (IssuerTypes.Create(type, new IssuerContext(name, settings, workspace, resolver, key, TimeProvider.System)) is { } issuer)
                issuers[name] = issuer;
        }
        return issuers;
    }

    private static bool IsName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static Dictionary<string, ConsumerConfig> ReadConsumers(Settings top)
    {
        var consumers = new Dictionary<string, ConsumerConfig>(StringComparer.Ordinal);
        var section = top.Section("consumers");
        if (section is null)
            return consumers;
        foreach (var name in section.Keys)
        {
            var settings = section.Section(name);
            if (settings is null)
                continue;
            settings.AllowOnly("owner", "environment", "paths");
            consumers[name] = new ConsumerConfig
            {
                Name = name,
                Owner = settings.String("owner"),
                Environment = settings.String("environment"),
                Paths = settings.StringList("paths") ?? [],
            };
        }
        return consumers;
    }

    private static PolicyConfig ReadPolicy(Settings top)
    {
        var section = top.Section("policy");
        if (section is null)
            return new PolicyConfig();
        section.AllowOnly("requireOwner", "maxAge");
        return new PolicyConfig { RequireOwner = section.Bool("requireOwner") ?? false, MaxAge = section.Duration("maxAge") };
    }

    private static CutoverConfig ReadCutover(Settings top)
    {
        var section = top.Section("cutover");
        var defaults = new CutoverConfig();
        if (section is null)
            return defaults;
        section.AllowOnly("dualRun", "quietWindow", "approvals");
        return new CutoverConfig
        {
            DualRun = section.Duration("dualRun") ?? defaults.DualRun,
            QuietWindow = section.Duration("quietWindow") ?? defaults.QuietWindow,
            Approvals = section.Int("approvals", 0, 100) ?? defaults.Approvals,
        };
    }
}
