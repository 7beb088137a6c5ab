using System.Globalization;
using System.Text.Json.Nodes;

namespace Keyshift.Issuers.Http;

/// <summary>The JSONPath subset admin APIs need: <c>$</c>, <c>.name</c>, <c>['name']</c> and <c>[index]</c>.</summary>
public static class JsonPathLite
{
    /// <summary>True when <paramref name="path"/> is in the supported subset.</summary>
    public static bool IsValid(string path) => Steps(path) is not null;

    public static JsonNode? Select(JsonNode? node, string path)
    {
        foreach (var step in Steps(path) ?? throw new FormatException($"'{path}' is not a supported JSONPath ($.a.b[0], $['a b'])"))
        {
            node = (node, step) switch
            {
                (JsonObject o, string name) => o[name],
                (JsonArray a, int index) when index >= 0 && index < a.Count => a[index],
                _ => null,
            };
            if (node is null)
                return null;
        }
        return node;
    }

    private static List<object>? Steps(string path)
    {
        if (!path.StartsWith('$'))
            return null;
        var steps = new List<object>();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = i + 1;
                while (end < path.Length && path[end] is not ('.' or '['))
                    end++;
                if (end == i + 1)
                    return null;
                steps.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0)
                    return null;
                var inner = path[(i + 1)..close];
                if (inner.Length >= 2 && inner[0] == '\'' && inner[^1] == '\'')
                    steps.Add(inner[1..^1]);
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    steps.Add(index);
                else
                    return null;
                i = close + 1;
            }
            else
            {
                return null;
            }
        }
        return steps;
    }
}
