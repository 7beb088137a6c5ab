namespace Keyshift.Stores.Yaml;

internal enum YamlNodeKind
{
    Scalar,
    Mapping,
    Sequence,
    Alias,
}
