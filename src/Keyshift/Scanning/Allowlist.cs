using System.Text.RegularExpressions;

namespace Keyshift.Scanning;

/// <summary>Paths never scanned (globs) and secret values never reported (regular expressions), from <c>scan.allow</c>.</summary>
internal sealed class Allowlist(IReadOnlyList<string> pathGlobs, IReadOnlyList<Regex> valuePatterns)
{
    private readonly Regex[] _paths = [.. pathGlobs.Select(Glob.ToRegex)];

    public static Allowlist Empty { get; } = new([], []);

    public IReadOnlyList<string> PathGlobs => pathGlobs;

    public bool AllowsPath(string path)
    {
        if (_paths.Length == 0)
            return false;
        var normal = path.Replace('\\', '/');
        if (normal.StartsWith("./", StringComparison.Ordinal))
            normal = normal[2..];
        return _paths.Any(p => p.IsMatch(normal));
    }

    public bool AllowsValue(string value) => valuePatterns.Any(p => p.IsMatch(value));
}
