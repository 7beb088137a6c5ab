using System.Text.RegularExpressions;
using Keyshift.Secrets;
using Keyshift.Stores.Yaml;

namespace Keyshift.Stores.Kubernetes;

/// <summary>
/// Kubernetes Secret manifests in a YAML file (type <c>k8s-secret</c>), possibly several <c>---</c> documents of
/// which only <c>kind: Secret</c> ones hold secrets. <c>store:name#key</c> or <c>store:namespace/name#key</c>.
/// Values go to <c>data</c> as base64 (any bytes) unless the Secret already keeps that key in <c>stringData</c>.
/// </summary>
internal sealed partial class KubernetesSecretStore : Store
{
    private readonly ParsedFileCache<YamlText> _cache = new();
    private readonly string _path;

    public string FilePath => _path;

    public KubernetesSecretStore(StoreContext context)
        : base(context.Name)
    {
        context.Settings.AllowOnly("type", "path");
        _path = context.RequirePath("path");
    }

    public override string Type => "k8s-secret";

    public override StoreCapabilities Capabilities =>
        StoreCapabilities.Read | StoreCapabilities.Write | StoreCapabilities.Delete | StoreCapabilities.List
        | StoreCapabilities.Nested | StoreCapabilities.Binary;

    public override string? CheckAddress(SecretAddress address)
    {
        if (base.CheckAddress(address) is { } shape)
            return shape;
        var parts = address.Path.Split('/');
        if (parts.Length > 2)
            return $"store '{Name}' (k8s-secret): '{address}' has too many '/'; write {Name}:name#key or {Name}:namespace/name#key";
        if (!SecretName().IsMatch(parts[^1]) || parts[^1].Length > 253)
            return $"store '{Name}' (k8s-secret): '{address}': '{parts[^1]}' is not a Secret name (lower-case letters, digits, '-' and '.')";
        if (parts.Length == 2 && (!NamespaceName().IsMatch(parts[0]) || parts[0].Length > 63))
            return $"store '{Name}' (k8s-secret): '{address}': '{parts[0]}' is not a namespace name (lower-case letters, digits and '-')";
        if (!KeyName().IsMatch(address.Key!) || address.Key!.Length > 253)
            return $"store '{Name}' (k8s-secret): '{address}': a Secret key holds only letters, digits, '-', '_' and '.'";
        return null;
    }

    public override ValueTask<IReadOnlyList<SecretAddress>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (_, secrets) = Load();
        IReadOnlyList<SecretAddress> addresses = [.. secrets.SelectMany(s => s.Keys.Select(key => new SecretAddress(Name, s.Path, key)))];
        return ValueTask.FromResult(addresses);
    }

    public override ValueTask<IReadOnlyDictionary<SecretAddress, SecretValue>> ReadAsync(
        IReadOnlyCollection<SecretAddress> addresses, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var address in addresses)
            ThrowIfBadAddress(address);
        var (_, secrets) = Load();
        var values = new Dictionary<SecretAddress, SecretValue>();
        foreach (var address in addresses)
        {
            try
            {
                if (Resolve(secrets, address)?.Read(address.Key!) is { } bytes)
                    values[address] = SecretValue.FromBytes(bytes);
            }
            catch (YamlEditException e)
            {
                throw YamlFile.Error(this, _path, e, address.ToString());
            }
        }
        return ValueTask.FromResult<IReadOnlyDictionary<SecretAddress, SecretValue>>(values);
    }

    public override ValueTask ApplyAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var change in changes)
            ThrowIfBadAddress(change.Address);
        var (source, secrets) = Load();
        var editor = new YamlEditor(source);
        var created = new Dictionary<(string Namespace, string Name), PendingMapping>();
        foreach (var change in changes)
        {
            try
            {
                var secret = Resolve(secrets, change.Address);
                if (secret is null)
                    ApplyToNew(editor, created, change);
                else
                    ApplyToExisting(editor, secret, change);
            }
            catch (YamlEditException e)
            {
                throw YamlFile.Error(this, _path, e, change.Address.ToString());
            }
        }
        YamlFile.Save(this, _path, source, editor.Apply(), _cache);
        return ValueTask.CompletedTask;
    }

    private void ApplyToExisting(YamlEditor editor, KubernetesSecret secret, StoreChange change)
    {
        var key = change.Address.Key!;
        if (change.Value is not { } value)
        {
            editor.Delete(secret.Root, ["data", key]);
            editor.Delete(secret.Root, ["stringData", key]);
            return;
        }
        var inData = secret.Data?.Find(key) is not null;
        if (secret.StringData?.Find(key) is not null)
        {
            if (!value.IsUtf8)
                throw new StoreException($"store '{Name}' (k8s-secret): {change.Address}: the Secret keeps this key in stringData, which holds text only, and the value is not UTF-8");
            editor.Set(secret.Root, ["stringData", key], value.RevealUtf8());
            if (!inData)
                return;
        }
        // A key in both sections is written to both: stringData wins at the API server, and data must not keep the old value.
        editor.Set(secret.Root, ["data", key], Convert.ToBase64String(value.Bytes));
    }

    private static void ApplyToNew(YamlEditor editor, Dictionary<(string, string), PendingMapping> created, StoreChange change)
    {
        var (stated, name) = Split(change.Address);
        var id = (stated ?? "default", name);
        if (change.Value is not { } value)
        {
            if (created.TryGetValue(id, out var pending))
                pending.Remove(["data", change.Address.Key!], 0);
            return;
        }
        if (!created.TryGetValue(id, out var document))
        {
            document = editor.AppendDocument();
            document.Set(["apiVersion"], 0, "v1");
            document.Set(["kind"], 0, "Secret");
            document.Set(["metadata", "name"], 0, name);
            if (stated is not null)
                document.Set(["metadata", "namespace"], 0, stated);
            document.Set(["type"], 0, "Opaque");
            created[id] = document;
        }
        document.Set(["data", change.Address.Key!], 0, Convert.ToBase64String(value.Bytes));
    }

    /// <summary>The Secret an address names; null when the file has none. An unqualified name held in two namespaces is refused.</summary>
    private KubernetesSecret? Resolve(IReadOnlyList<KubernetesSecret> secrets, SecretAddress address)
    {
        var (stated, name) = Split(address);
        var matches = secrets.Where(s => s.Name == name && (stated is null || s.Namespace == stated)).ToList();
        if (matches.Count > 1)
            throw new StoreException($"store '{Name}' (k8s-secret): {address}: {_path} has Secret '{name}' in namespaces "
                + $"{string.Join(", ", matches.Select(m => $"{m.Namespace} (line {m.Line})"))}; write {Name}:namespace/{name}#{address.Key}");
        return matches.Count == 1 ? matches[0] : null;
    }

    private static (string? Namespace, string Name) Split(SecretAddress address)
    {
        var slash = address.Path.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (null, address.Path) : (address.Path[..slash], address.Path[(slash + 1)..]);
    }

    private (YamlText Source, IReadOnlyList<KubernetesSecret> Secrets) Load()
    {
        var source = YamlFile.Load(this, _path, _cache);
        var secrets = new List<KubernetesSecret>();
        var seen = new Dictionary<(string, string), KubernetesSecret>();
        foreach (var document in source.Documents)
        {
            KubernetesSecret? secret;
            try
            {
                secret = KubernetesSecret.From(document);
            }
            catch (YamlEditException e)
            {
                throw YamlFile.Error(this, _path, e);
            }
            if (secret is null)
                continue;
            if (!seen.TryAdd((secret.Namespace, secret.Name), secret))
                throw YamlFile.Error(this, _path, secret.Line,
                    $"Secret {secret.Namespace}/{secret.Name} appears twice (also at line {seen[(secret.Namespace, secret.Name)].Line})");
            secrets.Add(secret);
        }
        return (source, secrets);
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex NamespaceName();

    [GeneratedRegex(@"^[-._a-zA-Z0-9]+$")]
    private static partial Regex KeyName();
}
