using Keyshift.Configuration;
using Keyshift.Execution;
using Keyshift.Planning;
using Keyshift.Scanning;
using Keyshift.Scanning.Configuration;
using Keyshift.Secrets;
using Keyshift.Stores;

namespace Keyshift.Inventory;

/// <summary>
/// Builds the inventory of an opened workspace: lists and reads every store (one batch each), fingerprints
/// each value with the workspace key, scans the given paths with the same key, and ties moves, consumers
/// and references to the stored secrets. Values are fingerprinted and dropped at once.
/// </summary>
internal static class InventoryBuilder
{
    public static async Task<InventoryReport> BuildAsync(Migration migration, IReadOnlyList<string> scanPaths, CancellationToken cancellationToken)
    {
        var config = migration.Config;
        var records = migration.LoadRecords();
        var moves = await MoveExpander.ExpandAsync(config, records, cancellationToken);
        var byAddress = new Dictionary<string, Move>(StringComparer.Ordinal);
        foreach (var move in moves)
        {
            byAddress[move.Source.ToString()] = move;
            byAddress.TryAdd(move.Target.ToString(), move);
        }
        var staged = records.Values.Where(r => r.StagedAt is not null).ToDictionary(r => r.Target, r => r.StagedAt!.Value, StringComparer.Ordinal);

        var stores = config.Stores.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var perStore = new List<(Store Store, IReadOnlyList<(SecretAddress Address, Fingerprint Fingerprint, bool Empty)> Entries)>();
        var storeFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var store in stores)
        {
            if (StoreFiles.PathOf(store) is { } file)
                storeFiles.Add(file);
            perStore.Add((store, await FingerprintAsync(store, migration.Key, cancellationToken)));
        }

        var scan = Scan(migration, scanPaths, out var notes);
        var hardcoded = scan.Where(f => f.Kind == FindingKind.Secret && !storeFiles.Contains(Path.GetFullPath(f.Location.Path))).ToList();
        var references = scan.Where(f => f.Kind == FindingKind.Reference).ToList();

        var secrets = new List<InventorySecret>();
        var byName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var (store, entries) in perStore)
        {
            var file = StoreFiles.PathOf(store);
            DateTimeOffset? modified = file is not null && File.Exists(file) ? new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero) : null;
            foreach (var (address, fingerprint, empty) in entries)
            {
                var text = address.ToString();
                byAddress.TryGetValue(text, out var move);
                var stagedAt = staged.TryGetValue(text, out var at) ? at : (DateTimeOffset?)null;
                secrets.Add(new InventorySecret
                {
                    Address = address,
                    StoreType = store.Type,
                    Fingerprint = fingerprint,
                    IsEmpty = empty,
                    Since = stagedAt ?? modified,
                    AgeSource = stagedAt is not null ? AgeSource.Staged : modified is not null ? AgeSource.FileModified : AgeSource.Unknown,
                    MoveId = move?.Id,
                    Owner = move?.Config.Owner,
                    Consumers = move?.Config.Consumers ?? [],
                });
                AddName(byName, address.Key ?? address.Path[(address.Path.LastIndexOf('/') + 1)..], secrets.Count - 1);
                AddName(byName, address.Local, secrets.Count - 1);
            }
        }

        var edges = new SortedSet<DependencyEdge>(EdgeOrder.Instance);
        foreach (var secret in secrets)
        {
            foreach (var consumer in secret.Consumers)
                edges.Add(new DependencyEdge(consumer, secret.Address.ToString(), "declared"));
        }
        AddReferenceEdges(config, references, secrets, byName, edges);

        var consumersOf = edges.GroupBy(e => e.Secret, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Consumer).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        for (var i = 0; i < secrets.Count; i++)
        {
            var secret = secrets[i];
            if (!consumersOf.TryGetValue(secret.Address.ToString(), out var consumers))
                continue;
            var declared = consumers.Select(c => config.Consumers.GetValueOrDefault(c)).Where(c => c is not null).ToList();
            secrets[i] = secret with
            {
                Consumers = consumers,
                Owner = secret.Owner ?? declared.Select(c => c!.Owner).FirstOrDefault(o => !string.IsNullOrWhiteSpace(o)),
                Environments = [.. declared.Select(c => c!.Environment).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            };
        }

        var now = migration.Time.GetUtcNow();
        return new InventoryReport
        {
            Secrets = secrets,
            Stores = [.. stores.Select(s => (s.Name, s.Type))],
            Hardcoded = hardcoded,
            References = references,
            Dependencies = [.. edges],
            Consumers = [.. config.Consumers.Values.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => (c.Name, c.Owner, c.Environment))],
            Findings = InventoryChecks.Run(config.Policy, secrets, hardcoded, now),
            Notes = notes,
            Now = now,
        };
    }

    private static void AddName(Dictionary<string, List<int>> byName, string name, int index)
    {
        if (!byName.TryGetValue(name, out var list))
            byName[name] = list = [];
        if (list.Count == 0 || list[^1] != index)
            list.Add(index);
    }

    private static async Task<IReadOnlyList<(SecretAddress, Fingerprint, bool)>> FingerprintAsync(Store store, FingerprintKey key, CancellationToken cancellationToken)
    {
        // A write-only store (GitHub Actions) cannot be inventoried by value; it has nothing to list here.
        if (!store.Capabilities.HasFlag(StoreCapabilities.List) || !store.Capabilities.HasFlag(StoreCapabilities.Read))
            return [];
        var addresses = await store.ListAsync(cancellationToken);
        if (addresses.Count == 0)
            return [];
        var values = await store.ReadAsync(addresses, cancellationToken);
        var result = new List<(SecretAddress, Fingerprint, bool)>(values.Count);
        foreach (var address in addresses.OrderBy(a => a.Local, StringComparer.Ordinal))
        {
            if (values.TryGetValue(address, out var value))
                result.Add((address, key.Of(value), value.Length == 0));
        }
        return result;
    }

    private static List<Finding> Scan(Migration migration, IReadOnlyList<string> paths, out IReadOnlyList<InputNote> notes)
    {
        notes = [];
        if (paths.Count == 0)
            return [];
        var missing = paths.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
        if (missing.Count > 0)
            throw new BadInputException([.. missing.Select(p => new InputError(null, "--scan", $"{p}: does not exist"))]);
        var settings = migration.Config.Sections.GetValueOrDefault("scan");
        var scanConfig = settings is null ? ScanConfig.Empty : ScanSettings.Read(settings);
        settings?.Errors.ThrowIfAny();
        var scanner = new Scanner(new ScanOptions
        {
            FingerprintKey = migration.Key,
            Rules = Scanning.Rules.RuleSet.BuiltIn.With(scanConfig.Rules),
            Allow = scanConfig.Allow,
            MaxFileBytes = scanConfig.MaxFileBytes ?? new ScanOptions().MaxFileBytes,
        });
        var found = scanner.ScanFiles(paths).ToList();
        notes = scanner.Notes;
        return found;
    }

    /// <summary>A reference in a file under a consumer's paths makes that consumer depend on every stored secret of that name.</summary>
    private static void AddReferenceEdges(KeyshiftConfig config, List<Finding> references, List<InventorySecret> secrets, Dictionary<string, List<int>> byName, SortedSet<DependencyEdge> edges)
    {
        var globs = config.Consumers.Values
            .Where(c => c.Paths.Count > 0)
            .Select(c => (c.Name, Patterns: c.Paths.Select(Glob.ToRegex).ToList()))
            .ToList();
        if (globs.Count == 0)
            return;
        foreach (var reference in references)
        {
            if (reference.ReferenceName is not { } name || !byName.TryGetValue(name, out var indices))
                continue;
            var relative = Relative(config.Workspace, reference.Location.Path);
            foreach (var (consumer, patterns) in globs)
            {
                if (!patterns.Any(p => p.IsMatch(relative)))
                    continue;
                foreach (var index in indices)
                    edges.Add(new DependencyEdge(consumer, secrets[index].Address.ToString(), "reference", $"{relative}:{reference.Location.Line}"));
            }
        }
    }

    private static string Relative(Workspace workspace, string path) =>
        Path.GetRelativePath(workspace.Root, Path.GetFullPath(path)).Replace('\\', '/');

    /// <summary>Edges in one order whatever the input order, so exports are byte-for-byte stable; the first location of a reference stands for all.</summary>
    private sealed class EdgeOrder : IComparer<DependencyEdge>
    {
        public static readonly EdgeOrder Instance = new();

        public int Compare(DependencyEdge? x, DependencyEdge? y)
        {
            var c = string.CompareOrdinal(x!.Consumer, y!.Consumer);
            if (c == 0)
                c = string.CompareOrdinal(x.Secret, y.Secret);
            return c != 0 ? c : string.CompareOrdinal(x.Kind, y.Kind);
        }
    }
}
