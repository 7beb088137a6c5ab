using System.Text.RegularExpressions;

namespace Keyshift.Apis.Contracts;

/// <summary>How operations are named and matched (<c>GET /charges/{id}</c>).</summary>
internal static partial class OperationKeys
{
    public static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    public static string NormalizePath(string path) => PathParameter().Replace(path.TrimEnd('/').Length == 0 ? "/" : path.TrimEnd('/'), "{}");

    public static IReadOnlyList<string> PathParameterNames(string path) => PathParameter().Matches(path).Select(m => m.Value[1..^1]).ToList();

    /// <summary>Normalizes a key a consumer wrote (<c>get /charges/{id}</c>, <c>webhook orderPaid</c>) for matching.</summary>
    public static string NormalizeUse(string text)
    {
        var parts = text.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2)
            return text.Trim();
        if (parts[0].Equals("webhook", StringComparison.OrdinalIgnoreCase))
            return "webhook " + parts[1];
        return parts[0].ToUpperInvariant() + " " + NormalizePath(parts[1]);
    }

    [GeneratedRegex(@"\{[^}/]*\}")]
    private static partial Regex PathParameter();
}
