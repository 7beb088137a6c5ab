using System.Security.Cryptography;
using Keyshift.Issuers;
using Keyshift.Probes;
using Keyshift.Secrets;
using Keyshift.Stores;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keyshift.Configuration;

/// <summary>
/// Reads <c>keyshift.yaml</c>, builds its stores and validates everything at once: every problem is
/// reported with file, line and field, and nothing is touched when there is one.
/// </summary>
public static class ConfigLoader
{
    private static readonly string[] TopLevel =
        ["version", "name", "mode", "stores", "issuers", "consumers", "moves", "policy", "cutover", "onConflict", "integrations", "gateway", "scan", "telemetry"];

    private static readonly string[] OtherSections = ["integrations", "gateway", "scan", "telemetry"];

    /// <summary>
    /// Loads and validates the config. <paramref name="key"/> is the workspace key the issuers keep fingerprints
    /// with (a throwaway one when the caller only needs stores).
    /// </summary>
    public static KeyshiftConfig Load(string path, FingerprintKey? key = null)
    {
        var full = Path.GetFullPath(path);
        var display = Path.GetFileName(full);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(full);
        }
        catch (FileNotFoundException)
        {
            throw new BadInputException(null, "", $"{path}: no such file; run `keyshift init` to write one");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(null, "", $"{path}: cannot read: {e.Message}");
        }
        var root = ParseRoot(bytes, display);
        var errors = new ErrorList();
        var top = new Settings(root, display, "", errors);
        top.AllowOnly(TopLevel);

        var version = top.Int("version");
        if (!top.Has("version"))
            errors.Add(top.Location, "version", "is required (write `version: 1`)");
        else if (version is not null and not 1)
            top.Error("version", $"version {version} is not supported; this Keyshift reads version 1");

        var workspace = new Workspace(full);
        var stores = ReadStores(top, workspace);
        var config = new KeyshiftConfig
        {
            Workspace = workspace,
            Name = top.String("name") ?? Path.GetFileName(workspace.Root),
            Mode = ReadMode(top),
            Stores = stores,
            Issuers = ReadIssuers(top, workspace, stores, key ?? FingerprintKey.CreateRandom()),
            Consumers = ReadConsumers(top),
            Moves = [],
            Policy = ReadPolicy(top),
            Cutover = ReadCutover(top),
            OnConflict = ReadConflict(top, "onConflict") ?? ConflictPolicy.Fail,
            Sections = OtherSections.Select(s => (s, section: top.Section(s))).Where(x => x.section is not null).ToDictionary(x => x.s, x => x.section!),
            Hash = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        };
        config = config with { Moves = ReadMoves(top, config) };
        errors.ThrowIfAny();
        return config;
    }

    private static YamlMappingNode ParseRoot(byte[] bytes, string file)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(new MemoryStream(bytes));
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            var cause = e.InnerException?.Message ?? e.Message;
            throw new BadInputException(new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column), "", $"malformed YAML: {cause}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet throws this (without a position) for some unterminated flow collections; find where it stopped.
            throw new BadInputException(LastGoodPosition(bytes, file), "", "malformed YAML: an unterminated or malformed flow collection ({ } or [ ]) near here");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new BadInputException(new SourceLocation(file, 1), "", "expected a mapping with version, stores and moves");
        if (stream.Documents.Count > 1)
            throw new BadInputException(new SourceLocation(file, (int)stream.Documents[1].RootNode.Start.Line), "", "expected one YAML document");
        return root;
    }

    private static SourceLocation LastGoodPosition(byte[] bytes, string file)
    {
        var parser = new Parser(new StreamReader(new MemoryStream(bytes)));
        var last = new SourceLocation(file, 1, 1);
        try
        {
            while (parser.MoveNext())
                last = new SourceLocation(file, (int)parser.Current!.Start.Line, (int)parser.Current.Start.Column);
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            return last;
        }
        return last;
    }

    private static MigrationMode ReadMode(Settings top)
    {
        var text = top.String("mode");
        switch (text)
        {
            case null or "storage-replacement":
                return MigrationMode.StorageReplacement;
            case "credential-replacement":
                return MigrationMode.CredentialReplacement;
            case "control-plane-replacement":
                return MigrationMode.ControlPlaneReplacement;
            default:
                top.Error("mode", $"unknown mode '{text}'; expected storage-replacement, credential-replacement or control-plane-replacement");
                return MigrationMode.StorageReplacement;
        }
    }

    private static ConflictPolicy? ReadConflict(Settings settings, string key) => settings.String(key) switch
    {
        null => null,
        "fail" => ConflictPolicy.Fail,
        "overwrite" => ConflictPolicy.Overwrite,
        var other => Fail(settings, key, $"unknown value '{other}'; expected fail or overwrite"),
    };

    private static ConflictPolicy? Fail(Settings settings, string key, string message)
    {
        settings.Error(key, message);
        return null;
    }

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
        s.AllowOnly("from", "to", "owner", "rotation", "tags", "consumers", "probes", "issuer", "account", "onConflict");
        var from = s.RequireString("from");
        var to = s.RequireString("to");
        var fromOk = from.Length > 0 && CheckFrom(s, from, config);
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
        if (config.Mode == MigrationMode.StorageReplacement && issuer is not null)
            s.Error("issuer", "an issuer replaces the credential: set mode: credential-replacement or control-plane-replacement");
        var checks = config.Mode == MigrationMode.StorageReplacement ? [] : ReadCredentialMove(s, config, from, to, issuer, owner, probes);
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
            Issuer = issuer,
            Account = s.String("account"),
            OnConflict = ReadConflict(s, "onConflict"),
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
        if (config.Mode == MigrationMode.StorageReplacement && address.Store == SecretAddress.Parse(from.Replace('*', 'x')).Store && address.Local == SecretAddress.Parse(from.Replace('*', 'x')).Local)
        {
            s.Error("to", "the target is the source itself");
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
