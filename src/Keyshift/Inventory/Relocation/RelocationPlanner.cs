using System.Text.RegularExpressions;
using Keyshift.Configuration;
using Keyshift.Scanning;
using Keyshift.Secrets;
using Keyshift.Stores;
using YamlDotNet.RepresentationModel;

namespace Keyshift.Inventory.Relocation;

/// <summary>
/// Turns the secrets a scan finds into a relocation proposal. A scanned file that is a supported store
/// format becomes a source store and its secrets exact move addresses (matched by fingerprint against the
/// store's own entries); a secret anywhere else is listed for a manual move. Every hardcoded value gets a
/// reference name <c>${NAME}</c> that the patch writes in its place.
/// </summary>
internal static partial class RelocationPlanner
{
    public static readonly string[] IntoTypes = ["json", "yaml", "dotenv", "k8s-secret"];

    public static async Task<RelocationProposal> PlanAsync(RelocationRequest request, CancellationToken cancellationToken)
    {
        if (!File.Exists(request.ScanPath) && !Directory.Exists(request.ScanPath))
            throw new BadInputException(null, "--from-scan", $"{request.ScanPath}: does not exist");
        if (!IntoTypes.Contains(request.IntoType))
            throw new BadInputException(null, "--into", $"store type '{request.IntoType}' cannot receive relocated secrets here; use one of {string.Join(", ", IntoTypes)}");
        var workspace = new Workspace(request.ConfigPath);
        var key = request.Key;
        var options = new ScanOptions { FingerprintKey = key, KeepValues = true };
        var secrets = Scanner.ScanFiles([request.ScanPath], options)
            .Where(f => f.Kind == FindingKind.Secret && f.Value is not null && f.Fingerprint is not null)
            .ToList();

        var names = new HashSet<string>(StringComparer.Ordinal);
        var storeNames = new HashSet<string>(StringComparer.Ordinal);
        var target = "governed";
        var sources = new List<SourceStore>();
        var moves = new List<ProposedMove>();
        var pending = new List<(Finding Finding, string FullPath)>();
        var files = new List<(string, string, bool, IReadOnlyList<Replacement>)>();
        var nameOf = new Dictionary<string, string>(StringComparer.Ordinal);
        // Locations are shown relative to the workspace, whatever path the scan was given.
        var fileGroups = secrets
            .Select(f => (Full: Path.GetFullPath(f.Location.Path), Finding: f))
            .Select(x => (x.Full, Finding: x.Finding with { Location = x.Finding.Location with { Path = Display(workspace, x.Full) } }))
            .GroupBy(x => x.Full, x => x.Finding)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        storeNames.Add(target);

        var intoFile = workspace.Resolve(request.IntoPath)
            ?? throw new BadInputException(null, "--into", $"'{request.IntoPath}' leaves the workspace {workspace.Root}; write an absolute path to mean it");
        foreach (var group in fileGroups)
        {
            var full = group.Key;
            // The receiving store already holds what it holds; it is no source of its own relocation.
            if (full == intoFile)
                continue;
            var source = await TryOpenStoreAsync(full, workspace, key, storeNames, cancellationToken);
            var replacements = new List<Replacement>();
            foreach (var finding in group.OrderBy(f => f.Location.Line).ThenBy(f => f.Location.Column))
            {
                var fingerprint = finding.Fingerprint!.Value;
                if (source is not null && source.Value.Entries.TryGetValue(fingerprint.Hex, out var address))
                {
                    if (!moves.Any(m => m.From == address))
                    {
                        var name = Unique(names, EnvName(address.Key is null ? address.Path : $"{address.Path}_{address.Key}", address.Key ?? address.Path));
                        nameOf.TryAdd(fingerprint.Hex, name);
                        moves.Add(new ProposedMove(address, TargetAddress(request.IntoType, target, source.Value.Store.Name, address, name), name, finding));
                    }
                    replacements.Add(new Replacement(finding.Location.Line, finding.Location.Column, finding.Value!, moves.First(m => m.From == address).Name, fingerprint));
                }
                else
                {
                    pending.Add((finding, full));
                }
            }
            if (source is not null && moves.Any(m => m.From.Store == source.Value.Store.Name))
                sources.Add(source.Value.Store);
            files.Add((full, Display(workspace, full), source is not null, replacements));
        }

        // Secrets outside store files get a name after the store moves, so the same value keeps the name its move gave it.
        var manual = new List<ManualSecret>();
        var hardcoded = new Dictionary<string, HardcodedSource>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (finding, full) in pending)
        {
            var fingerprint = finding.Fingerprint!.Value;
            if (!nameOf.TryGetValue(fingerprint.Hex, out var name))
            {
                name = Unique(names, KeyName(full, finding) ?? EnvName(finding.RuleId, finding.RuleId));
                nameOf[fingerprint.Hex] = name;
            }
            // The same value already travels with a move: it goes to the same target.
            var covering = moves.FirstOrDefault(m => m.Finding.Fingerprint == fingerprint);
            var proposed = covering?.To ?? (request.IntoType == "dotenv" ? new SecretAddress(target, name) : new SecretAddress(target, "relocated", name));
            // A file that a store move already drains keeps its other values as TODOs: two stores rewriting one file would shift each other's spans.
            var length = sources.Any(s => s.FullPath == full) ? null : SpanLength(full, finding, texts);
            hardcoded.TryGetValue(full, out var store);
            if (length is { } n && store?.Values.Any(v => v.Name == name) != true)
            {
                if (store is null)
                {
                    var relative = Path.GetRelativePath(workspace.Root, full).Replace('\\', '/');
                    var configPath = relative.StartsWith("../", StringComparison.Ordinal) ? full : relative;
                    hardcoded[full] = store = new HardcodedSource(Unique(storeNames, StoreName(relative)), configPath, full, []);
                }
                store.Values.Add(new HardcodedEntry(name, finding.Location.Line, finding.Location.Column, n, finding, covering?.From));
                // One value, one target: a second copy follows the first move's cutover by its fingerprint.
                if (covering is null)
                    moves.Add(new ProposedMove(new SecretAddress(store.Name, name), proposed, name, finding));
            }
            else
            {
                manual.Add(new ManualSecret(finding, proposed, name, covering?.From));
            }
            var index = files.FindIndex(f => f.Item1 == full);
            var (path, display, isSource, list) = files[index];
            files[index] = (path, display, isSource, [.. list, new Replacement(finding.Location.Line, finding.Location.Column, finding.Value!, name, fingerprint)]);
        }
        return new RelocationProposal
        {
            Sources = sources,
            Hardcoded = [.. hardcoded.Values],
            TargetStore = target,
            Moves = moves,
            Manual = manual,
            Files = [.. files.Where(f => f.Item4.Count > 0).Select(f => (f.Item1, f.Item2, f.Item3 || hardcoded.ContainsKey(f.Item1), (IReadOnlyList<Replacement>)[.. f.Item4.OrderBy(r => r.Line).ThenBy(r => r.Column)]))],
        };
    }

    /// <summary>
    /// The value's length when the scan location holds it exactly on one line of valid UTF-8 text; null when
    /// the span cannot be declared (a value over several lines, a file changed since the scan).
    /// </summary>
    private static int? SpanLength(string full, Finding finding, Dictionary<string, string?> texts)
    {
        if (!texts.TryGetValue(full, out var text))
        {
            try
            {
                text = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(full));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.DecoderFallbackException)
            {
                text = null;
            }
            texts[full] = text;
        }
        if (text is null || !finding.Value!.IsUtf8)
            return null;
        var value = finding.Value.RevealUtf8();
        if (value.Length == 0 || value.AsSpan().IndexOfAny('\n', '\r') >= 0)
            return null;
        var lineStart = 0;
        for (var line = 1; line < finding.Location.Line && lineStart >= 0; line++)
            lineStart = text.IndexOf('\n', lineStart) is var nl and >= 0 ? nl + 1 : -1;
        var start = lineStart < 0 ? -1 : lineStart + finding.Location.Column - 1;
        return start >= 0 && start + value.Length <= text.Length && text.AsSpan(start, value.Length).SequenceEqual(value) ? value.Length : null;
    }

    /// <summary>Reads a scanned file as a store of the type its name suggests; null when it is not one (or cannot be read as one).</summary>
    private static async Task<(SourceStore Store, Dictionary<string, SecretAddress> Entries)?> TryOpenStoreAsync(
        string full, Workspace workspace, FingerprintKey key, HashSet<string> storeNames, CancellationToken cancellationToken)
    {
        var type = StoreTypeOf(full);
        if (type is null)
            return null;
        var relative = Path.GetRelativePath(workspace.Root, full).Replace('\\', '/');
        var configPath = workspace.Resolve(relative) == full && !relative.StartsWith("../", StringComparison.Ordinal) ? relative : full;
        var name = Unique(storeNames, StoreName(relative));
        var node = new YamlMappingNode { { "type", type }, { "path", full } };
        var errors = new ErrorList();
        var store = StoreTypes.Create(type, new StoreContext(name, new Settings(node, "keyshift.yaml", $"stores.{name}", errors), workspace));
        if (store is null || errors.Any)
            return null;
        var entries = new Dictionary<string, SecretAddress>(StringComparer.Ordinal);
        try
        {
            var addresses = await store.ListAsync(cancellationToken);
            var values = await store.ReadAsync(addresses, cancellationToken);
            foreach (var address in addresses.OrderBy(a => a.Local, StringComparer.Ordinal))
            {
                if (values.TryGetValue(address, out var value))
                    entries.TryAdd(key.Of(value).Hex, address);
            }
        }
        catch (Exception e) when (e is StoreException or BadInputException)
        {
            // Not valid in that format after all (a template, a JSON with comments…): its secrets are moved by hand.
            storeNames.Remove(name);
            return null;
        }
        return (new SourceStore(name, type, configPath, full), entries);
    }

    /// <summary>Compose files hold a service's environment: they are consumers whose values become references, not stores to drain.</summary>
    private static string? StoreTypeOf(string path)
    {
        var name = Path.GetFileName(path);
        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (name == ".env" || name.StartsWith(".env.", StringComparison.Ordinal) || extension == ".env")
            return "dotenv";
        if (extension == ".json")
            return "json";
        if (extension is not (".yaml" or ".yml") || name.Contains("compose", StringComparison.OrdinalIgnoreCase))
            return null;
        return K8sSecretKind().IsMatch(File.ReadAllText(path)) ? "k8s-secret" : "yaml";
    }

    private static string Display(Workspace workspace, string full)
    {
        var relative = Path.GetRelativePath(workspace.Root, full).Replace('\\', '/');
        return relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
    }

    private static SecretAddress TargetAddress(string intoType, string target, string sourceStore, SecretAddress source, string name) => intoType switch
    {
        "dotenv" => new SecretAddress(target, name),
        // A Kubernetes Secret is name#key: the source store names the Secret, the key keeps the source's path.
        "k8s-secret" => new SecretAddress(target, sourceStore, K8sKey(source.Local)),
        _ => new SecretAddress(target, source.Key is null ? sourceStore : $"{sourceStore}/{source.Path}", source.Key ?? source.Path),
    };

    private static string K8sKey(string local) => NotK8sKey().Replace(local.Replace('/', '.').Replace('#', '.'), "_");

    private static string StoreName(string relative)
    {
        var name = NotNameChar().Replace(relative, "-").Trim('-');
        return name.Length == 0 ? "source" : name;
    }

    /// <summary>The key the line assigns the value to (<c>db_password = "…"</c> → <c>DB_PASSWORD</c>), when there is one.</summary>
    private static string? KeyName(string full, Finding finding)
    {
        string line;
        try
        {
            line = File.ReadLines(full).Skip(finding.Location.Line - 1).FirstOrDefault() ?? "";
        }
        catch (IOException)
        {
            return null;
        }
        var before = line[..Math.Min(line.Length, Math.Max(0, finding.Location.Column - 1))];
        // A password inside a URL or connection string is named after the setting that holds the whole string.
        var embedded = finding.RuleId is "connection-uri-password" or "jdbc-password" or "connection-string-password";
        var match = embedded ? LineKey().Match(before) : AssignedKey().Match(before);
        if (!match.Success)
            match = embedded ? AssignedKey().Match(before) : LineKey().Match(before);
        if (!match.Success)
            return null;
        var name = EnvName(match.Groups["key"].Value, match.Groups["key"].Value);
        return embedded && !name.Contains("PASSWORD", StringComparison.Ordinal) ? name + "_PASSWORD" : name;
    }

    private static string EnvName(string text, string fallback)
    {
        var name = NotEnvChar().Replace(text.ToUpperInvariant(), "_").Trim('_');
        if (name.Length == 0)
            name = NotEnvChar().Replace(fallback.ToUpperInvariant(), "_").Trim('_');
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
            name = "SECRET_" + name;
        return name;
    }

    private static string Unique(HashSet<string> taken, string name)
    {
        var candidate = name;
        for (var i = 2; !taken.Add(candidate); i++)
            candidate = $"{name}_{i}";
        return candidate;
    }

    [GeneratedRegex(@"^kind:\s*Secret\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex K8sSecretKind();

    [GeneratedRegex(@"[^A-Za-z0-9_.-]")]
    private static partial Regex NotK8sKey();

    [GeneratedRegex(@"[^A-Za-z0-9_-]+")]
    private static partial Regex NotNameChar();

    [GeneratedRegex(@"[^A-Z0-9_]+")]
    private static partial Regex NotEnvChar();

    /// <summary>The value starts right after <c>key = "</c> (or <c>key: </c>, <c>"key": "</c>, <c>key =&gt; '</c>).</summary>
    [GeneratedRegex(@"(?<key>[A-Za-z_][A-Za-z0-9_.-]*)[""']?\s*(?::=|=>|=|:)\s*[""'`]?$")]
    private static partial Regex AssignedKey();

    /// <summary>The value sits inside a longer one (a URL, a connection string): name it after the key the line starts with.</summary>
    [GeneratedRegex(@"^\s*(?:export\s+)?[""']?(?<key>[A-Za-z_][A-Za-z0-9_.-]*)[""']?\s*(?::=|=>|=|:)")]
    private static partial Regex LineKey();
}
