using System.Globalization;
using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Diff;

/// <summary>Reads what the checks compare from a schema node, across 2.0, 3.0 (<c>nullable</c>) and 3.1 (type arrays).</summary>
internal static class SchemaFacts
{
    public static SortedSet<string> Types(ApiNode schema)
    {
        var types = new SortedSet<string>(StringComparer.Ordinal);
        var type = schema["type"];
        if (type is { Kind: ApiNodeKind.Array })
        {
            foreach (var t in type.Items)
            {
                if (t.Scalar is { } s)
                    types.Add(s);
            }
        }
        else if (type?.Scalar is { } single)
            types.Add(single);
        if (types.Count > 0 && (schema.Bool("nullable") || schema.Bool("x-nullable")))
            types.Add("null");
        return types;
    }

    /// <summary>True when a value of type <paramref name="type"/> is valid against <paramref name="accepted"/> (empty = any type).</summary>
    public static bool Accepts(SortedSet<string> accepted, string type) =>
        accepted.Count == 0 || accepted.Contains(type) || (type == "integer" && accepted.Contains("number"));

    public static List<string>? Enum(ApiNode schema)
    {
        var values = schema["enum"];
        if (values is { Kind: ApiNodeKind.Array })
            return values.Items.Select(Text).ToList();
        return schema["const"] is { } constant ? [Text(constant)] : null;
    }

    public static string Text(ApiNode node) => node.Kind switch
    {
        ApiNodeKind.String => node.Scalar!,
        ApiNodeKind.Number => double.TryParse(node.Scalar, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d.ToString(CultureInfo.InvariantCulture) : node.Scalar!,
        _ => node.ToString(),
    };

    /// <summary>The upper bound and whether it is exclusive (3.0 boolean or 3.1 numeric exclusiveMaximum).</summary>
    public static (double Value, bool Exclusive)? Maximum(ApiNode schema) => Bound(schema, "maximum", "exclusiveMaximum");

    public static (double Value, bool Exclusive)? Minimum(ApiNode schema) => Bound(schema, "minimum", "exclusiveMinimum");

    private static (double, bool)? Bound(ApiNode schema, string inclusive, string exclusive)
    {
        if (schema[exclusive] is { Kind: ApiNodeKind.Number } && schema.Number(exclusive) is { } ex)
            return (ex, true);
        return schema.Number(inclusive) is { } value ? (value, schema.Bool(exclusive)) : null;
    }

    public static string Describe(SortedSet<string> types) => types.Count == 0 ? "any type" : string.Join(" or ", types);
}
