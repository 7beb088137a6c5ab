using Keyshift.Secrets;

namespace Keyshift.Stores.Yaml;

/// <summary>
/// A YAML file of nested mappings (type <c>yaml</c>). <c>store:a/b#key</c> is the text value <c>key</c> in the
/// mapping <c>a</c> → <c>b</c>; every value lives inside at least one mapping. Writes splice the text, so
/// comments, order, quoting and indentation of everything else stay byte-for-byte.
/// </summary>
internal sealed class YamlStore : Store
{
    private readonly ParsedFileCache<YamlText> _cache = new();

    private readonly string _path;

    public string FilePath => _path;

    public YamlStore(StoreContext context)
        : base(context.Name)
    {
        context.Settings.AllowOnly("type", "path");
        _path = context.RequirePath("path");
    }

    public override string Type => "yaml";

    public override StoreCapabilities Capabilities =>
        StoreCapabilities.Read | StoreCapabilities.Write | StoreCapabilities.Delete | StoreCapabilities.List | StoreCapabilities.Nested;

    public override string? CheckAddress(SecretAddress address)
    {
        if (base.CheckAddress(address) is { } shape)
            return shape;
        if (address.Path.Split('/').Any(segment => segment.Length == 0))
            return $"store '{Name}' (yaml): '{address}' has an empty mapping name; write {Name}:map/inner#key";
        return null;
    }

    public override ValueTask<IReadOnlyList<SecretAddress>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var addresses = new List<SecretAddress>();
        if (Root(YamlFile.Load(this, _path, _cache)) is { } root)
            Collect(root, [], addresses);
        return ValueTask.FromResult<IReadOnlyList<SecretAddress>>(addresses);
    }

    public override ValueTask<IReadOnlyDictionary<SecretAddress, SecretValue>> ReadAsync(
        IReadOnlyCollection<SecretAddress> addresses, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var address in addresses)
            ThrowIfBadAddress(address);
        var values = new Dictionary<SecretAddress, SecretValue>();
        var root = Root(YamlFile.Load(this, _path, _cache));
        if (root is null)
            return ValueTask.FromResult<IReadOnlyDictionary<SecretAddress, SecretValue>>(values);
        foreach (var address in addresses)
        {
            if (Find(root, Segments(address)) is { Kind: YamlNodeKind.Scalar } scalar)
                values[address] = SecretValue.FromUtf8(scalar.Value);
        }
        return ValueTask.FromResult<IReadOnlyDictionary<SecretAddress, SecretValue>>(values);
    }

    public override ValueTask ApplyAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var change in changes)
        {
            ThrowIfBadAddress(change.Address);
            if (change.Value is { } value && (!value.IsUtf8 || value.Bytes.Contains((byte)0)))
                throw new StoreException($"store '{Name}' (yaml): {change.Address}: the value is not text (not UTF-8, or holds NUL); a yaml store holds text only");
        }
        var source = YamlFile.Load(this, _path, _cache);
        var root = Root(source);
        var editor = new YamlEditor(source);
        PendingMapping? fill = null;
        foreach (var change in changes)
        {
            var path = Segments(change.Address);
            try
            {
                if (root is not null)
                {
                    if (change.Value is { } value)
                        editor.Set(root, path, value.RevealUtf8());
                    else
                        editor.Delete(root, path);
                }
                else if (change.Value is { } value)
                {
                    fill ??= source.Documents.Count == 0 ? editor.AppendDocument() : editor.Fill(source.Documents[0]);
                    if (fill.Set(path, 0, value.RevealUtf8()) is { } conflict)
                        throw new StoreException($"store '{Name}' (yaml): {change.Address}: another write in this batch makes '{conflict}' a value, not a mapping");
                }
                else
                {
                    fill?.Remove(path, 0);
                }
            }
            catch (YamlEditException e)
            {
                throw YamlFile.Error(this, _path, e, change.Address.ToString());
            }
        }
        YamlFile.Save(this, _path, source, editor.Apply(), _cache);
        return ValueTask.CompletedTask;
    }

    private static string[] Segments(SecretAddress address) => [.. address.Path.Split('/'), address.Key!];

    /// <summary>The root mapping, or null for an empty file; refuses what this store cannot hold.</summary>
    private YamlTextNode? Root(YamlText source)
    {
        if (source.Documents.Count > 1)
        {
            var second = source.Documents[1].Root;
            throw YamlFile.Error(this, _path, second?.Line ?? 1,
                $"holds {source.Documents.Count} YAML documents; a yaml store reads one (Kubernetes manifests: use type k8s-secret)");
        }
        if (source.Documents.Count == 0 || source.Documents[0].IsEmpty)
            return null;
        var root = source.Documents[0].Root!;
        if (root.Kind != YamlNodeKind.Mapping)
            throw YamlFile.Error(this, _path, root.Line, $"the document is {root.KindName}; a yaml store needs a mapping at the top");
        return root;
    }

    private static YamlTextNode? Find(YamlTextNode root, string[] path)
    {
        var node = root;
        foreach (var segment in path)
        {
            node = node.Resolved;
            if (node.Kind != YamlNodeKind.Mapping || node.Find(segment) is not { } entry)
                return null;
            node = entry.Value;
        }
        return node.Resolved;
    }

    private void Collect(YamlTextNode mapping, List<string> path, List<SecretAddress> into)
    {
        foreach (var entry in mapping.Entries)
        {
            if (entry.Name is not { Length: > 0 } name || name.Contains('#', StringComparison.Ordinal))
                continue;
            var value = entry.Value;
            if (value.Kind == YamlNodeKind.Mapping && !name.Contains('/', StringComparison.Ordinal))
            {
                path.Add(name);
                Collect(value, path, into);
                path.RemoveAt(path.Count - 1);
            }
            // Aliases are followed only to values: an alias to a mapping may be its own ancestor.
            else if (value.Resolved.Kind == YamlNodeKind.Scalar && path.Count > 0)
            {
                into.Add(new SecretAddress(Name, string.Join('/', path), name));
            }
        }
    }
}
