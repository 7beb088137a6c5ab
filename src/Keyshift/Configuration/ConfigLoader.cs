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
public static partial class ConfigLoader
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
}
