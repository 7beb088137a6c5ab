using Keyshift.Stores.Yaml;

namespace Keyshift.Stores.Kubernetes;

/// <summary>One <c>kind: Secret</c> document of a manifest file, located in the parsed text.</summary>
internal sealed class KubernetesSecret
{
    private KubernetesSecret(YamlTextNode root, string name, string? statedNamespace, YamlTextNode? data, YamlTextNode? stringData)
    {
        Root = root;
        Name = name;
        StatedNamespace = statedNamespace;
        Data = data;
        StringData = stringData;
    }

    public YamlTextNode Root { get; }

    public string Name { get; }

    /// <summary><c>metadata.namespace</c> as written; null when the manifest leaves it to <c>kubectl</c>.</summary>
    public string? StatedNamespace { get; }

    public string Namespace => StatedNamespace ?? "default";

    /// <summary>The <c>data</c> mapping (base64 values), or null when there is none or it is empty.</summary>
    public YamlTextNode? Data { get; }

    /// <summary>The <c>stringData</c> mapping (text values), or null.</summary>
    public YamlTextNode? StringData { get; }

    /// <summary>The address path the file itself implies: <c>namespace/name</c> when it states one, else <c>name</c>.</summary>
    public string Path => StatedNamespace is null ? Name : $"{StatedNamespace}/{Name}";

    public int Line => Root.Line;

    public IEnumerable<string> Keys =>
        Names(Data).Concat(Names(StringData)).Distinct(StringComparer.Ordinal);

    /// <summary>The Secret in <paramref name="document"/>, or null when the document is something else.</summary>
    public static KubernetesSecret? From(YamlTextDocument document)
    {
        if (document.Root is not { Kind: YamlNodeKind.Mapping } root || Text(root, "kind") != "Secret")
            return null;
        if (root.Find("metadata")?.Value.Resolved is not { Kind: YamlNodeKind.Mapping } metadata)
            throw new YamlEditException("a Secret without a metadata mapping", root.Line, root.Column);
        var name = Text(metadata, "name");
        if (string.IsNullOrEmpty(name))
            throw new YamlEditException("a Secret without metadata.name", metadata.Line, metadata.Column);
        var statedNamespace = Text(metadata, "namespace");
        return new KubernetesSecret(root, name, string.IsNullOrEmpty(statedNamespace) ? null : statedNamespace,
            Section(root, "data"), Section(root, "stringData"));
    }

    /// <summary>The value of <paramref name="key"/>: stringData wins over data, as the API server merges them.</summary>
    public byte[]? Read(string key)
    {
        if (StringData?.Find(key)?.Value.Resolved is { Kind: YamlNodeKind.Scalar } text)
            return System.Text.Encoding.UTF8.GetBytes(text.Value);
        if (Data?.Find(key)?.Value.Resolved is not { Kind: YamlNodeKind.Scalar } encoded)
            return null;
        try
        {
            return Convert.FromBase64String(encoded.Value);
        }
        catch (FormatException)
        {
            throw new YamlEditException($"data.{key} of Secret {Path} is not valid base64", encoded.Line, encoded.Column);
        }
    }

    private static IEnumerable<string> Names(YamlTextNode? mapping) =>
        mapping is null ? [] : mapping.Entries.Where(e => e.Value.Resolved.Kind == YamlNodeKind.Scalar).Select(e => e.Name).OfType<string>();

    private static string? Text(YamlTextNode mapping, string key) =>
        mapping.Find(key)?.Value.Resolved is { Kind: YamlNodeKind.Scalar } scalar ? scalar.Value : null;

    private static YamlTextNode? Section(YamlTextNode root, string key)
    {
        if (root.Find(key)?.Value is not { } value || value.IsNull)
            return null;
        if (value.Resolved.Kind != YamlNodeKind.Mapping)
            throw new YamlEditException($"{key} of a Secret is {value.KindName}, not a mapping", value.Line, value.Column);
        return value.Resolved;
    }
}
