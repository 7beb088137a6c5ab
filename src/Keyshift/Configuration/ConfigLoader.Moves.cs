using System.Security.Cryptography;
using Keyshift.Issuers;
using Keyshift.Probes;
using Keyshift.Secrets;
using Keyshift.Stores;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keyshift.Configuration;

/// <summary>The moves: addresses, patterns, credential moves and their probes.</summary>
public static partial class ConfigLoader
{
    private static List<MoveConfig> ReadMoves(Settings top, KeyshiftConfig config)
    {
        var moves = new List<MoveConfig>();
        var node = top.Node("moves");
        if (node is null)
        {
            top.Errors.Add(top.Location, "moves", "is required: list at least one move");
            return moves;
        }
        if (node is not YamlSequenceNode list)
        {
            top.Error("moves", "expected a list of moves");
            return moves;
        }
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in list)
        {
            var field = $"moves[{index++}]";
            if (item is not YamlMappingNode map)
            {
                top.Errors.Add(top.Locate(item), field, "expected a mapping with from and to");
                continue;
            }
            var move = ReadMove(new Settings(map, top.File, field, top.Errors), config);
            if (move is null)
                continue;
            if (seen.TryGetValue(move.From, out var first))
                top.Errors.Add(move.Location, field + ".from", $"'{move.From}' is already moved at line {first.Line}; two moves with the same source are ambiguous");
            else
                seen[move.From] = move.Location;
            moves.Add(move);
        }
        return moves;
    }

    private static MoveConfig? ReadMove(Settings s, KeyshiftConfig config)
    {
        s.AllowOnly("from", "to", "owner", "rotation", "tags", "consumers", "probes", "requireProbe", "issuer", "account", "onConflict", "integration");
        var from = s.RequireString("from");
        var integration = s.String("integration");
        var to = integration is null ? s.RequireString("to") : s.String("to") ?? "";
        var fromOk = from.Length > 0 && CheckFrom(s, from, config);
        string? integrationConsumer = null;
        if (integration is not null && fromOk)
            (to, integrationConsumer) = ReadIntegrationMove(s, config, from, integration, to);
        var toOk = to.Length > 0 && CheckTo(s, to, from, config);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (s.Section("tags") is { } tagSection)
        {
            foreach (var key in tagSection.Keys)
                tags[key] = tagSection.String(key) ?? "";
        }
        var consumers = s.StringList("consumers") ?? [];
        foreach (var consumer in consumers.Where(c => !config.Consumers.ContainsKey(c)))
            s.Error("consumers", $"unknown consumer '{consumer}'; declare it under consumers:");
        var owner = s.String("owner");
        if (config.Policy.RequireOwner && string.IsNullOrWhiteSpace(owner))
            s.Errors.Add(s.Location, s.Field("owner"), "is required by policy.requireOwner");
        var probes = new List<Settings>();
        if (s.Node("probes") is YamlSequenceNode probeList)
        {
            var i = 0;
            foreach (var probe in probeList)
            {
                if (probe is YamlMappingNode probeMap)
                    probes.Add(new Settings(probeMap, s.File, $"{s.Field("probes")}[{i}]", s.Errors));
                else
                    s.Errors.Add(s.Locate(probe), $"{s.Field("probes")}[{i}]", "expected a mapping with a type");
                i++;
            }
        }
        var issuer = s.String("issuer");
        if (config.Mode == MigrationMode.StorageReplacement && issuer is not null && integration is null)
            s.Error("issuer", "an issuer replaces the credential: set mode: credential-replacement or control-plane-replacement");
        var checks = integration is not null ? ReadIntegrationProbes(s, config, issuer, probes)
            : config.Mode == MigrationMode.StorageReplacement ? [] : ReadCredentialMove(s, config, from, to, issuer, owner, probes);
        var move = new MoveConfig
        {
            From = from,
            To = to,
            Owner = owner,
            Rotation = s.Duration("rotation"),
            Tags = tags,
            Consumers = consumers,
            Probes = probes,
            Checks = checks,
            ProbesDeclared = s.Has("probes"),
            RequireProbe = s.Bool("requireProbe"),
            Issuer = issuer,
            Account = s.String("account"),
            OnConflict = ReadConflict(s, "onConflict"),
            Integration = integration,
            IntegrationConsumer = integrationConsumer,
            Location = s.Location,
        };
        return fromOk && toOk ? move : null;
    }

    /// <summary>
    /// A credential move needs an issuer and an account; its target names the place all the credential's fields go
    /// (<c>governed:app/db</c>), and its probes are built against the issuer's endpoint.
    /// </summary>
    private static List<ConfiguredProbe> ReadCredentialMove(Settings s, KeyshiftConfig config, string from, string to, string? issuer, string? owner, List<Settings> probes)
    {
        var checks = new List<ConfiguredProbe>();
        Issuer? built = null;
        if (issuer is null)
            s.Errors.Add(s.Location, s.Field("issuer"), $"is required in mode {ModeName(config.Mode)}: name the issuer (declared under issuers:) where the credential is valid");
        else if (!config.Issuers.TryGetValue(issuer, out built))
            s.Error("issuer", $"unknown issuer '{issuer}'; declared issuers: {(config.Issuers.Count == 0 ? "none" : string.Join(", ", config.Issuers.Keys))}");
        if (string.IsNullOrWhiteSpace(s.String("account")))
            s.Errors.Add(s.Location, s.Field("account"), "is required: the role or user whose credential is replaced");
        if (from.Contains('*', StringComparison.Ordinal))
            s.Error("from", "a credential move replaces one account's credential; patterns are for storage replacement");
        if (SecretAddress.TryParse(to, out _) is { Key: not null })
            s.Error("to", $"a credential move's target is where all its fields go (e.g. {to[..to.IndexOf('#', StringComparison.Ordinal)]}, receiving #username and #password); drop the #key");
        if (config.Mode == MigrationMode.ControlPlaneReplacement && string.IsNullOrWhiteSpace(owner))
            s.Errors.Add(s.Location, s.Field("owner"), "is required in mode control-plane-replacement: the new owner is part of the new control plane");
        var i = 0;
        foreach (var settings in probes)
        {
            var type = settings.RequireString("type");
            var name = i++ == 0 ? type : $"{type}#{i}";
            if (type.Length == 0)
                continue;
            var context = new ProbeContext(name, settings, built, config.Workspace, TimeProvider.System);
            if (ProbeTypes.Create(type, context) is { } probe)
                checks.Add(new ConfiguredProbe(probe, ProbeTypes.Expectation(context)));
        }
        return checks;
    }

    private static string ModeName(MigrationMode mode) => mode == MigrationMode.ControlPlaneReplacement ? "control-plane-replacement" : "credential-replacement";

    private static bool CheckFrom(Settings s, string from, KeyshiftConfig config)
    {
        var address = SecretAddress.TryParse(from, out var problem);
        if (address is null)
        {
            s.Error("from", problem!);
            return false;
        }
        if (!config.Stores.TryGetValue(address.Store, out var store))
        {
            s.Error("from", $"unknown store '{address.Store}'; declared stores: {string.Join(", ", config.Stores.Keys)}");
            return false;
        }
        var stars = from.Count(c => c == '*');
        if (stars > 1)
        {
            s.Error("from", "'*' may appear once");
            return false;
        }
        if (stars == 1)
        {
            var local = address.Local;
            var star = local.IndexOf('*', StringComparison.Ordinal);
            if (local.IndexOf('/', star) >= 0)
            {
                s.Error("from", "'*' may appear only in the last segment or the key");
                return false;
            }
        }
        var shape = store.CheckAddress(SecretAddress.Parse(from.Replace('*', 'x')));
        // A credential move may read the credential in use from a map of fields (username, password), as an earlier rotation wrote it.
        if (shape is not null && config.Mode != MigrationMode.StorageReplacement && address.Key is null && store.Capabilities.HasFlag(StoreCapabilities.Nested) && stars == 0)
            shape = null;
        if (shape is not null)
        {
            s.Error("from", shape);
            return false;
        }
        return true;
    }

    private static bool CheckTo(Settings s, string to, string from, KeyshiftConfig config)
    {
        if (to.Contains('*', StringComparison.Ordinal))
        {
            s.Error("to", "'*' belongs in from; in to write {name} (the whole matched key) or {match} (what '*' matched)");
            return false;
        }
        var isPattern = from.Contains('*', StringComparison.Ordinal);
        var templated = to.Contains("{name}", StringComparison.Ordinal) || to.Contains("{match}", StringComparison.Ordinal);
        if (isPattern && !templated)
        {
            s.Error("to", "a pattern move needs {name} or {match} in to, or every match would land on one target");
            return false;
        }
        var sample = to.Replace("{name}", "NAME", StringComparison.Ordinal).Replace("{match}", "MATCH", StringComparison.Ordinal);
        var address = SecretAddress.TryParse(sample, out var problem);
        if (address is null)
        {
            s.Error("to", problem!);
            return false;
        }
        if (!config.Stores.TryGetValue(address.Store, out var store))
        {
            s.Error("to", $"unknown store '{address.Store}'; declared stores: {string.Join(", ", config.Stores.Keys)}");
            return false;
        }
        if (!store.Capabilities.HasFlag(StoreCapabilities.Write))
        {
            s.Error("to", $"store '{store.Name}' ({store.Type}) cannot receive values, only give them up; move them to a store that can be written");
            return false;
        }
        if (address.Store == SecretAddress.Parse(from.Replace('*', 'x')).Store && address.Local == SecretAddress.Parse(from.Replace('*', 'x')).Local)
        {
            // In credential replacement too: staging would overwrite the credential in use, and retiring would delete the new one.
            s.Error("to", config.Mode == MigrationMode.StorageReplacement
                ? "the target is the source itself"
                : "the target is the source itself: the new credential must go to another address while the old one is still in use (e.g. a new path; point consumers at it at cutover)");
            return false;
        }
        var shape = store.CheckAddress(address);
        if (shape is not null && !(config.Mode != MigrationMode.StorageReplacement && address.Key is null))
        {
            s.Error("to", shape);
            return false;
        }
        return true;
    }
}
