using System.Globalization;
using System.Text;

namespace Keyshift.Apis.Documents;

/// <summary>
/// One node of an OpenAPI document read from YAML or JSON, with the line it starts on and a link to its parent, so
/// every change can be reported with a JSON pointer and a line in the original file.
/// </summary>
internal sealed class ApiNode
{
    private static readonly OrderedDictionary<string, ApiNode> NoProperties = [];
    private static readonly List<ApiNode> NoItems = [];

    private static int _created;

    // Nodes are kept in reference sets (references, visited schemas) by the hundred thousand; the runtime's
    // identity hash makes every first lookup of a node take a slow path, a stored number does not.
    private readonly int _hash = Interlocked.Increment(ref _created);

    private OrderedDictionary<string, ApiNode>? _properties;
    private List<ApiNode>? _items;

    public ApiNode(ApiNodeKind kind, int line, string? scalar = null)
    {
        Kind = kind;
        Line = line;
        Scalar = scalar;
        if (kind == ApiNodeKind.Object)
            _properties = [];
        else if (kind == ApiNodeKind.Array)
            _items = [];
    }

    public ApiNodeKind Kind { get; }

    /// <summary>1-based line where the node starts in the original file.</summary>
    public int Line { get; }

    /// <summary>The text of a string, number or boolean; null for objects, arrays and null.</summary>
    public string? Scalar { get; }

    public ApiNode? Parent { get; private set; }

    /// <summary>The property name (objects) or index (arrays) under which the parent holds this node.</summary>
    public string? Key { get; private set; }

    public IReadOnlyDictionary<string, ApiNode> Properties => _properties ?? NoProperties;

    public IReadOnlyList<ApiNode> Items => _items ?? NoItems;

    public bool IsObject => Kind == ApiNodeKind.Object;

    /// <summary>Adds a property; false when the name is already there.</summary>
    public bool TryAdd(string name, ApiNode value)
    {
        if (!_properties!.TryAdd(name, value))
            return false;
        value.Attach(this, name);
        return true;
    }

    public void Add(ApiNode item)
    {
        item.Attach(this, _items!.Count.ToString(CultureInfo.InvariantCulture));
        _items.Add(item);
    }

    public ApiNode? this[string name] => _properties is not null && _properties.TryGetValue(name, out var node) ? node : null;

    public string? String(string name) => this[name] is { Kind: not ApiNodeKind.Object and not ApiNodeKind.Array and not ApiNodeKind.Null } n ? n.Scalar : null;

    public bool Bool(string name) => this[name] is { Kind: ApiNodeKind.Boolean, Scalar: "true" };

    public double? Number(string name) =>
        this[name] is { Kind: ApiNodeKind.Number or ApiNodeKind.String, Scalar: { } text }
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The JSON pointer (RFC 6901) of this node, computed from the parent chain.</summary>
    public string Pointer
    {
        get
        {
            var keys = new List<string>();
            for (var node = this; node.Parent is not null; node = node.Parent)
                keys.Add(node.Key!);
            if (keys.Count == 0)
                return "";
            var text = new StringBuilder();
            for (var i = keys.Count - 1; i >= 0; i--)
                text.Append('/').Append(keys[i].Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));
            return text.ToString();
        }
    }

    /// <summary>Nodes are equal only to themselves (reference equality), hashed by a number given at creation.</summary>
    public override int GetHashCode() => _hash;

    public override string ToString() => Kind switch
    {
        ApiNodeKind.Object => "{…}",
        ApiNodeKind.Array => "[…]",
        ApiNodeKind.Null => "null",
        _ => Scalar ?? "",
    };

    private void Attach(ApiNode parent, string key)
    {
        // YAML aliases share one node; the first place it appears is the one reported.
        if (Parent is not null)
            return;
        Parent = parent;
        Key = key;
    }
}
