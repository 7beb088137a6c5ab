using Keyshift.Secrets;

namespace Keyshift.Stores.Json;

/// <summary>
/// A JSON file (type <c>json</c>, setting <c>path</c>) holding nested addresses <c>store:a/b#key</c>: <c>a/b</c>
/// is the path of nested objects from the top-level object, <c>key</c> a member of the innermost one. Leaves
/// live inside at least one object; members directly in the top-level object are not addressable. Each batch
/// is one rewrite that splices text at the touched members and keeps every other byte.
/// </summary>
internal sealed class JsonStore : Store
{
    public JsonStore(StoreContext context)
        : base(context.Name)
    {
        context.Settings.AllowOnly("type", "path");
        FilePath = context.RequirePath("path");
    }

    public override string Type => "json";

    public override StoreCapabilities Capabilities =>
        StoreCapabilities.Read | StoreCapabilities.Write | StoreCapabilities.Delete | StoreCapabilities.List | StoreCapabilities.Nested;

    /// <summary>The full path of the file.</summary>
    public string FilePath { get; }

    /// <summary>The file parsed as it is now, for callers that need <c>file:line</c> of a member.</summary>
    internal JsonFile Load()
    {
        var content = File.Exists(FilePath) ? AtomicFile.Read(Name, FilePath) : [];
        return _cache.Get(content, c => JsonParser.Parse(FilePath, c, $"store '{Name}'"));
    }

    private readonly ParsedFileCache<JsonFile> _cache = new();

    public override string? CheckAddress(SecretAddress address)
    {
        if (address.Store != Name)
            return $"address {address} is not in store '{Name}'";
        if (base.CheckAddress(address) is { } shape)
            return shape;
        if (address.Path.Split('/').Any(s => s.Length == 0))
            return $"store '{Name}' (json): {address} has an empty path segment; write {Name}:a/b#key";
        return null;
    }

    public override ValueTask<IReadOnlyList<SecretAddress>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var file = Load();
        var addresses = new List<SecretAddress>();
        if (file.Root is { } root)
        {
            foreach (var member in root.Members)
            {
                if (member.Child is { } child && IsPathSegment(member.Name))
                    Collect(child, member.Name, addresses);
            }
        }
        return ValueTask.FromResult<IReadOnlyList<SecretAddress>>(addresses);
    }

    // Names that cannot be written in an address (a '/' or '#' in a path segment, a '#' in a key) are skipped.
    private void Collect(JsonObjectNode node, string path, List<SecretAddress> addresses)
    {
        foreach (var member in node.Members)
        {
            if (member.Child is { } child)
            {
                if (IsPathSegment(member.Name))
                    Collect(child, $"{path}/{member.Name}", addresses);
            }
            else if (member.Name.Length > 0 && !member.Name.Contains('#', StringComparison.Ordinal))
                addresses.Add(new SecretAddress(Name, path, member.Name));
        }
    }

    private static bool IsPathSegment(string name) => name.Length > 0 && name.IndexOfAny(['/', '#']) < 0;

    public override ValueTask<IReadOnlyDictionary<SecretAddress, SecretValue>> ReadAsync(
        IReadOnlyCollection<SecretAddress> addresses, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var address in addresses)
            ThrowIfBadAddress(address);
        var file = Load();
        var values = new Dictionary<SecretAddress, SecretValue>(addresses.Count);
        var objects = new Dictionary<string, JsonObjectNode?>(StringComparer.Ordinal);
        foreach (var address in addresses)
        {
            if (!objects.TryGetValue(address.Path, out var node))
                objects[address.Path] = node = file.FindObject(address.Path.Split('/'));
            if (node?.Find(address.Key!) is { IsLeaf: true } member)
                values[address] = file.ValueOf(member);
        }
        return ValueTask.FromResult<IReadOnlyDictionary<SecretAddress, SecretValue>>(values);
    }

    public override ValueTask ApplyAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var change in changes)
        {
            ThrowIfBadAddress(change.Address);
            if (change.Value is { IsUtf8: false })
                throw new StoreException($"store '{Name}' (json): cannot write {change.Address}: the value is not UTF-8 text, which a JSON string cannot hold");
        }
        if (changes.Count == 0)
            return ValueTask.CompletedTask;

        var file = Load();
        var edits = new JsonEditObject(file.Root);
        foreach (var change in changes)
        {
            var segments = change.Address.Path.Split('/');
            if (change.Value is { } value)
            {
                if (edits.Set(segments, change.Address.Key!, value) is { } problem)
                    throw new StoreException($"store '{Name}' (json): cannot write {change.Address}: {problem}");
            }
            else
                edits.Delete(segments, change.Address.Key!);
        }
        var rewritten = JsonRewriter.Rewrite(file, edits);
        if (!ReferenceEquals(rewritten, file.Content))
            AtomicFile.Write(this, FilePath, rewritten);
        return ValueTask.CompletedTask;
    }


}
