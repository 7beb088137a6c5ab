using YamlDotNet.Core;

namespace Keyshift.Stores.Yaml;

/// <summary>
/// A node of a parsed YAML text and where it sits in that text, so an edit can splice at its span instead
/// of re-serialising the document. Offsets are UTF-16 indices into <see cref="YamlText.Text"/>.
/// </summary>
internal sealed class YamlTextNode
{
    private List<YamlTextEntry>? _entries;
    private Dictionary<string, YamlTextEntry>? _byName;

    public required YamlNodeKind Kind { get; init; }

    /// <summary>Offset of the node's first character (its anchor or tag when it has one).</summary>
    public required int Start { get; init; }

    /// <summary>Offset just past the node as the parser reports it (a block scalar's span runs to the next token).</summary>
    public int End { get; set; }

    /// <summary>Offset just past the node's last meaningful character: what a deletion or an insertion after it must keep.</summary>
    public int ContentEnd { get; set; }

    /// <summary>1-based line of <see cref="Start"/>.</summary>
    public required int Line { get; init; }

    /// <summary>1-based column of <see cref="Start"/>.</summary>
    public required int Column { get; init; }

    public bool IsFlow { get; init; }

    public ScalarStyle Style { get; init; }

    /// <summary>A scalar's text; empty for other kinds.</summary>
    public string Value { get; init; } = "";

    public string? Anchor { get; init; }

    public string? Tag { get; init; }

    /// <summary>For an alias, the node it names.</summary>
    public YamlTextNode? Target { get; init; }

    /// <summary>The entry whose value this node is, when it is one.</summary>
    public YamlTextEntry? ParentEntry { get; set; }

    public IReadOnlyList<YamlTextEntry> Entries => _entries ?? (IReadOnlyList<YamlTextEntry>)[];

    /// <summary>A null scalar (empty, <c>~</c>, <c>null</c>) that a write may turn into a mapping.</summary>
    public bool IsNull =>
        Kind == YamlNodeKind.Scalar && Style == ScalarStyle.Plain && Tag is null && Anchor is null
        && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>The node itself, or for an alias the node it names.</summary>
    public YamlTextNode Resolved => Target ?? this;

    public YamlTextEntry? Find(string name) => _byName is not null && _byName.TryGetValue(name, out var entry) ? entry : null;

    /// <summary>Adds an entry; returns false when a text key of that name is already there.</summary>
    public bool Add(YamlTextNode key, YamlTextNode value)
    {
        _entries ??= [];
        var entry = new YamlTextEntry(this, key, value, _entries.Count);
        value.ParentEntry = entry;
        _entries.Add(entry);
        if (entry.Name is not { } name)
            return true;
        _byName ??= new Dictionary<string, YamlTextEntry>(StringComparer.Ordinal);
        return _byName.TryAdd(name, entry);
    }

    /// <summary>The node's kind with its article, for messages: "a mapping", "an alias".</summary>
    public string KindName => Kind switch
    {
        YamlNodeKind.Mapping => "a mapping",
        YamlNodeKind.Sequence => "a sequence",
        YamlNodeKind.Alias => "an alias",
        _ => "a value",
    };
}
