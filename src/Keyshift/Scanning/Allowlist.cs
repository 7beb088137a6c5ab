using System.Text.RegularExpressions;

namespace Keyshift.Scanning;

/// <summary>Paths never scanned (globs) and secret values never reported (regular expressions), from <c>scan.allow</c>.</summary>
/// <remarks>Path globs match the path as reported (relative to the scan root or repository) and, when a
/// base folder is known (the workspace), the path relative to it.</remarks>
internal sealed class Allowlist(IReadOnlyList<string> pathGlobs, IReadOnlyList<Regex> valuePatterns, string? baseDirectory = null)
{
    private readonly Regex[] _paths = [.. pathGlobs.Select(Glob.ToRegex)];

    public static Allowlist Empty { get; } = new([], []);

    public IReadOnlyList<string> PathGlobs => pathGlobs;

    public bool AllowsPath(string path)
    {
        if (_paths.Length == 0)
            return false;
        if (Matches(path))
            return true;
        if (baseDirectory is null)
            return false;
        var relative = Path.GetRelativePath(baseDirectory, Path.GetFullPath(path));
        return !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative) && Matches(relative);
    }

    private bool Matches(string path)
    {
        var normal = path.Replace('\\', '/');
        while (normal.StartsWith("./", StringComparison.Ordinal))
            normal = normal[2..];
        return _paths.Any(p => p.IsMatch(normal));
    }

    public bool AllowsValue(string value) => valuePatterns.Any(p => p.IsMatch(value));
}
