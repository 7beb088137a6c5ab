using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Keyshift.Configuration;

/// <summary>
/// A mapping from <c>keyshift.yaml</c> with the position of every field, so each problem is reported with
/// file, line and field (<c>stores.legacy.path</c>). Readers add errors and return null instead of throwing.
/// </summary>
public sealed class Settings
{
    private readonly YamlMappingNode _node;
    private readonly Dictionary<string, (YamlNode Key, YamlNode Value)> _fields = new(StringComparer.Ordinal);

    public Settings(YamlMappingNode node, string file, string fieldPath, ErrorList errors)
    {
        _node = node;
        File = file;
        FieldPath = fieldPath;
        Errors = errors;
        foreach (var (key, value) in node.Children)
        {
            if (key is YamlScalarNode { Value: { } name })
            {
                if (!_fields.TryAdd(name, (key, value)))
                    errors.Add(Locate(key), Field(name), "appears twice");
            }
        }
    }

    public string File { get; }

    public string FieldPath { get; }

    public ErrorList Errors { get; }

    public SourceLocation Location => Locate(_node);

    public IEnumerable<string> Keys => _fields.Keys;

    public bool Has(string key) => _fields.ContainsKey(key);

    public string Field(string key) => FieldPath.Length == 0 ? key : $"{FieldPath}.{key}";

    public SourceLocation At(string key) => _fields.TryGetValue(key, out var f) ? Locate(f.Value) : Location;

    public SourceLocation Locate(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public void Error(string key, string message) => Errors.Add(At(key), Field(key), message);

    public YamlNode? Node(string key) => _fields.TryGetValue(key, out var f) ? f.Value : null;

    public string? String(string key)
    {
        if (!_fields.TryGetValue(key, out var f))
            return null;
        if (f.Value is YamlScalarNode scalar)
            return scalar.Value;
        Error(key, "expected a single value");
        return null;
    }

    public string RequireString(string key)
    {
        var value = String(key);
        if (string.IsNullOrWhiteSpace(value))
        {
            if (!Has(key))
                Errors.Add(Location, Field(key), "is required");
            else
                Error(key, "must not be empty");
            return "";
        }
        return value;
    }

    public int? Int(string key, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = String(key);
        if (text is null)
            return null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Error(key, $"expected a whole number from {min} to {max}, got '{text}'");
            return null;
        }
        return value;
    }

    public bool? Bool(string key)
    {
        var text = String(key);
        if (text is null)
            return null;
        if (bool.TryParse(text, out var value))
            return value;
        Error(key, $"expected true or false, got '{text}'");
        return null;
    }

    public TimeSpan? Duration(string key)
    {
        var text = String(key);
        if (text is null)
            return null;
        if (DurationText.TryParse(text, out var value))
            return value;
        Error(key, $"expected a duration such as 30s, 15m, 72h or 30d, got '{text}'");
        return null;
    }

    /// <summary>Reads a credential reference (<c>env:NAME</c>, <c>file:PATH</c> or a store address); inline secrets are refused.</summary>
    public CredentialReference? Credential(string key)
    {
        var text = String(key);
        if (text is null)
            return null;
        var reference = CredentialReference.TryParse(text, out var problem);
        if (reference is null)
            Error(key, problem!);
        return reference;
    }

    public Settings? Section(string key)
    {
        if (!_fields.TryGetValue(key, out var f))
            return null;
        if (f.Value is YamlMappingNode map)
            return new Settings(map, File, Field(key), Errors);
        Error(key, "expected a mapping");
        return null;
    }

    public IReadOnlyList<string>? StringList(string key)
    {
        if (!_fields.TryGetValue(key, out var f))
            return null;
        if (f.Value is YamlSequenceNode seq)
        {
            var list = new List<string>();
            foreach (var item in seq)
            {
                if (item is YamlScalarNode { Value: { } v })
                    list.Add(v);
                else
                    Errors.Add(Locate(item), Field(key), "expected a list of single values");
            }
            return list;
        }
        if (f.Value is YamlScalarNode { Value: { } single })
            return [single];
        Error(key, "expected a list");
        return null;
    }

    /// <summary>Reports every field not in <paramref name="known"/>, which catches typos.</summary>
    public void AllowOnly(params string[] known)
    {
        foreach (var (name, (keyNode, _)) in _fields)
        {
            if (Array.IndexOf(known, name) < 0)
                Errors.Add(Locate(keyNode), Field(name), $"unknown field; expected one of: {string.Join(", ", known)}");
        }
    }
}
