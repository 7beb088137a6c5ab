using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Diff;

/// <summary>The properties and required names of an object schema, <c>allOf</c> members merged in.</summary>
internal sealed class ObjectShape
{
    private const int MaxAllOfDepth = 32;

    public Dictionary<string, ApiNode> Properties { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Required { get; } = new(StringComparer.Ordinal);

    /// <summary><c>additionalProperties: false</c>: unknown properties are rejected.</summary>
    public bool Closed { get; private set; }

    public static ObjectShape Of(ApiDocument document, ApiNode schema)
    {
        var shape = new ObjectShape();
        shape.Collect(document, schema, new HashSet<ApiNode>(), 0);
        return shape;
    }

    private void Collect(ApiDocument document, ApiNode schema, HashSet<ApiNode> seen, int depth)
    {
        if (depth > MaxAllOfDepth || !seen.Add(schema))
            return;
        if (schema["properties"] is { IsObject: true } properties)
        {
            foreach (var (name, property) in properties.Properties)
                Properties.TryAdd(name, property);
        }
        if (schema["required"] is { Kind: ApiNodeKind.Array } required)
        {
            foreach (var name in required.Items)
            {
                if (name.Scalar is { } text)
                    Required.Add(text);
            }
        }
        if (schema["additionalProperties"] is { Kind: ApiNodeKind.Boolean, Scalar: "false" })
            Closed = true;
        if (schema["allOf"] is { Kind: ApiNodeKind.Array } members)
        {
            foreach (var member in members.Items)
            {
                if (document.Deref(member) is { IsObject: true } resolved)
                    Collect(document, resolved, seen, depth + 1);
            }
        }
    }
}
