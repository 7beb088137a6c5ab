namespace Keyshift.Stores.Yaml;

/// <summary>
/// Collects the edits of one batch against one parse of a <see cref="YamlText"/> and applies them in a single
/// pass of text splices sorted by offset: set a scalar at a path, add keys (creating missing mappings), delete
/// a key with the mappings it leaves empty, append documents. Nothing it does not touch changes.
/// </summary>
internal sealed partial class YamlEditor(YamlText source)
{
    private const string MapTag = "tag:yaml.org,2002:map";
    private const string StrTag = "tag:yaml.org,2002:str";

    private readonly Dictionary<YamlTextNode, MappingEdit> _mappings = [];
    private readonly Dictionary<YamlTextNode, string> _replacements = [];
    private readonly Dictionary<YamlTextNode, PendingMapping> _fills = [];
    private readonly Dictionary<YamlTextDocument, PendingMapping> _documentFills = [];
    private readonly List<PendingMapping> _newDocuments = [];

    public YamlText Source => source;

    /// <summary>Sets the leaf at <paramref name="path"/> below <paramref name="mapping"/>, adding what is missing.</summary>
    public void Set(YamlTextNode mapping, IReadOnlyList<string> path, string value)
    {
        var node = mapping;
        for (var i = 0; i < path.Count; i++)
        {
            CheckMapping(node, path, i);
            var entry = node.Find(path[i]);
            if (entry is null)
            {
                var edit = Edit(node);
                edit.Inserts ??= new PendingMapping();
                CheckPending(edit.Inserts.Set(path, i, value), node, path);
                return;
            }
            var child = entry.Value;
            if (i == path.Count - 1)
            {
                if (child.Kind != YamlNodeKind.Scalar)
                    throw Refuse(child, $"'{Join(path, i + 1)}' holds {child.KindName}, not a value");
                CheckScalar(child, path, i + 1);
                if (_fills.ContainsKey(child))
                    throw Refuse(child, $"'{Join(path, i + 1)}' is both a value and a mapping in one batch");
                _replacements[child] = value;
                Edit(node).Deleted.Remove(entry);
                return;
            }
            if (child.Kind == YamlNodeKind.Mapping)
            {
                node = child;
                continue;
            }
            if (child.IsNull)
            {
                if (_replacements.ContainsKey(child))
                    throw Refuse(child, $"'{Join(path, i + 1)}' is both a value and a mapping in one batch");
                if (!_fills.TryGetValue(child, out var fill))
                    _fills[child] = fill = new PendingMapping();
                CheckPending(fill.Set(path, i + 1, value), child, path);
                return;
            }
            throw Refuse(child, $"'{Join(path, i + 1)}' is {child.KindName}, not a mapping");
        }
    }

    /// <summary>Deletes the leaf at <paramref name="path"/>; a missing one is no error.</summary>
    public void Delete(YamlTextNode mapping, IReadOnlyList<string> path)
    {
        var node = mapping;
        for (var i = 0; i < path.Count; i++)
        {
            CheckMapping(node, path, i);
            var entry = node.Find(path[i]);
            if (entry is null)
            {
                if (_mappings.TryGetValue(node, out var edit))
                    edit.Inserts?.Remove(path, i);
                return;
            }
            var child = entry.Value;
            if (i == path.Count - 1)
            {
                if (child.Kind is YamlNodeKind.Mapping or YamlNodeKind.Sequence)
                    throw Refuse(child, $"'{Join(path, i + 1)}' holds {child.KindName}, not a value");
                if (child.Anchor is not null)
                    throw Refuse(child, $"'{Join(path, i + 1)}' is anchored (&{child.Anchor}); aliases would lose it, so Keyshift does not delete it");
                _replacements.Remove(child);
                _fills.Remove(child);
                Edit(node).Deleted.Add(entry);
                return;
            }
            if (child.Kind != YamlNodeKind.Mapping)
            {
                if (_fills.TryGetValue(child, out var fill))
                {
                    fill.Remove(path, i + 1);
                    if (fill.Count == 0)
                        _fills.Remove(child);
                }
                return;
            }
            node = child;
        }
    }

    /// <summary>The mapping a write to an empty document goes into.</summary>
    public PendingMapping Fill(YamlTextDocument document)
    {
        if (!document.IsEmpty)
            throw new InvalidOperationException("only an empty document can be filled");
        if (!_documentFills.TryGetValue(document, out var fill))
            _documentFills[document] = fill = new PendingMapping();
        return fill;
    }

    /// <summary>A new document appended at the end of the stream.</summary>
    public PendingMapping AppendDocument()
    {
        var document = new PendingMapping();
        _newDocuments.Add(document);
        return document;
    }

    private MappingEdit Edit(YamlTextNode mapping)
    {
        if (!_mappings.TryGetValue(mapping, out var edit))
            _mappings[mapping] = edit = new MappingEdit();
        return edit;
    }

    // Aliases see through an anchored mapping, and a tagged one may mean something else than a plain map.
    private static void CheckMapping(YamlTextNode mapping, IReadOnlyList<string> path, int depth)
    {
        var where = depth == 0 ? "the document root" : $"'{Join(path, depth)}'";
        if (mapping.Anchor is not null)
            throw Refuse(mapping, $"{where} is anchored (&{mapping.Anchor}); aliases would see the change, so Keyshift does not edit it");
        if (mapping.Tag is not null and not MapTag)
            throw Refuse(mapping, $"{where} has the tag {mapping.Tag}; Keyshift edits only plain mappings");
    }

    private static void CheckScalar(YamlTextNode scalar, IReadOnlyList<string> path, int depth)
    {
        if (scalar.Anchor is not null)
            throw Refuse(scalar, $"'{Join(path, depth)}' is anchored (&{scalar.Anchor}); aliases would see the change, so Keyshift does not edit it");
        if (scalar.Tag is not null and not StrTag)
            throw Refuse(scalar, $"'{Join(path, depth)}' has the tag {scalar.Tag}; Keyshift writes only plain text values");
    }

    private static void CheckPending(string? conflict, YamlTextNode at, IReadOnlyList<string> path)
    {
        if (conflict is not null)
            throw Refuse(at, $"'{Join(path, path.Count)}' and a sibling write in the same batch disagree whether '{conflict}' is a value or a mapping");
    }

    private static string Join(IReadOnlyList<string> path, int count) => string.Join('/', path.Take(count));

    private static YamlEditException Refuse(YamlTextNode node, string message) => new(message, node.Line, node.Column);
}
