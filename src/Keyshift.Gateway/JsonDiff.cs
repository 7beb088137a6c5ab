using System.Text.Json;

namespace Keyshift.Gateway;

/// <summary>
/// The JSON paths at which two documents differ in structure or value (<c>$.charge.amount</c>; array indexes
/// become <c>[*]</c> so a path names a field, not an element). Only paths come out, never values.
/// </summary>
internal static class JsonDiff
{
    public static SortedSet<string> Compare(JsonElement left, JsonElement right)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        Walk(left, right, "$", paths);
        return paths;
    }

    private static void Walk(JsonElement left, JsonElement right, string path, SortedSet<string> paths)
    {
        if (Kind(left) != Kind(right))
        {
            paths.Add(path);
            return;
        }
        switch (left.ValueKind)
        {
            case JsonValueKind.Object:
                var rightFields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var p in right.EnumerateObject())
                    rightFields[p.Name] = p.Value;
                foreach (var p in left.EnumerateObject())
                {
                    var child = Child(path, p.Name);
                    if (rightFields.Remove(p.Name, out var other))
                        Walk(p.Value, other, child, paths);
                    else
                        paths.Add(child);
                }
                foreach (var name in rightFields.Keys)
                    paths.Add(Child(path, name));
                break;
            case JsonValueKind.Array:
                var leftItems = left.EnumerateArray().ToList();
                var rightItems = right.EnumerateArray().ToList();
                if (leftItems.Count != rightItems.Count)
                    paths.Add(path + "[#]");
                for (var i = 0; i < Math.Min(leftItems.Count, rightItems.Count); i++)
                    Walk(leftItems[i], rightItems[i], path + "[*]", paths);
                break;
            case JsonValueKind.String:
                if (!left.ValueEquals(right.GetString()))
                    paths.Add(path);
                break;
            case JsonValueKind.Number:
                if (left.GetRawText() != right.GetRawText() && !(left.TryGetDecimal(out var a) && right.TryGetDecimal(out var b) && a == b))
                    paths.Add(path);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                if (left.ValueKind != right.ValueKind)
                    paths.Add(path);
                break;
        }
    }

    private static JsonValueKind Kind(JsonElement e) => e.ValueKind == JsonValueKind.False ? JsonValueKind.True : e.ValueKind;

    // Commas and equals signs separate ledger entries; a field name carrying them is escaped.
    private static string Child(string path, string name) =>
        path + "." + name.Replace("%", "%25", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal).Replace("=", "%3D", StringComparison.Ordinal);
}
