namespace Keyshift.Stores.Yaml;

/// <summary>
/// A YAML text cannot be read or edited as asked. Line and column are 1-based; the message never holds a
/// value, only structure (paths, node kinds), so a store can pass it on with its name and file.
/// </summary>
internal sealed class YamlEditException(string message, int line, int column, Exception? inner = null) : Exception(message, inner)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}
