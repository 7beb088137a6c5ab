namespace Keyshift.Stores.Yaml;

/// <summary>One <c>key: value</c> pair of a mapping; <see cref="Name"/> is null when the key is not a plain text key.</summary>
internal sealed record YamlTextEntry(YamlTextNode Mapping, YamlTextNode Key, YamlTextNode Value, int Index)
{
    public string? Name => Key.Kind == YamlNodeKind.Scalar ? Key.Value : null;
}
