using System.Text;
using System.Text.RegularExpressions;

namespace Keyshift.Scanning.Sources;

/// <summary>
/// One <c>.gitignore</c>, for folders outside a git work tree (inside one, git itself applies them). Follows
/// gitignore(5): <c>#</c> comments, <c>!</c> negation, a trailing <c>/</c> for folders only, a pattern holding a
/// <c>/</c> anchored at the file's folder and one without it matching at any depth, <c>*</c>, <c>?</c>,
/// <c>[…]</c> and <c>**</c>. The last matching line wins.
/// </summary>
internal sealed class IgnoreFile
{
    private readonly List<(Regex Pattern, bool Negated, bool FoldersOnly)> _lines = [];

    private IgnoreFile(string folder) => Folder = folder;

    /// <summary>The folder holding the file, relative to the scanned root ("" for the root), with '/' separators.</summary>
    public string Folder { get; }

    public static IgnoreFile Parse(string folder, IEnumerable<string> lines)
    {
        var file = new IgnoreFile(folder);
        foreach (var raw in lines)
        {
            var line = TrimUnescapedTrailingSpaces(raw.TrimEnd('\r'));
            if (line.Length == 0 || line[0] == '#')
                continue;
            var negated = line[0] == '!';
            if (negated)
                line = line[1..];
            else if (line.StartsWith(@"\!", StringComparison.Ordinal) || line.StartsWith(@"\#", StringComparison.Ordinal))
                line = line[1..];
            var foldersOnly = line.EndsWith('/');
            line = line.TrimEnd('/');
            if (line.Length == 0)
                continue;
            file._lines.Add((ToRegex(line), negated, foldersOnly));
        }
        return file;
    }

    /// <summary>True when ignored, false when re-included by a negation, null when no line speaks of it.</summary>
    public bool? Decide(string relativeToFolder, bool isFolder)
    {
        for (var i = _lines.Count - 1; i >= 0; i--)
        {
            var (pattern, negated, foldersOnly) = _lines[i];
            if (foldersOnly && !isFolder)
                continue;
            if (pattern.IsMatch(relativeToFolder))
                return !negated;
        }
        return null;
    }

    private static string TrimUnescapedTrailingSpaces(string line)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] == ' ' && !(end > 1 && line[end - 2] == '\\'))
            end--;
        return line[..end];
    }

    private static Regex ToRegex(string glob)
    {
        // A slash at the start or in the middle anchors the pattern at the folder of the .gitignore.
        var anchored = glob.Contains('/', StringComparison.Ordinal);
        if (glob.StartsWith('/'))
            glob = glob[1..];
        var pattern = new StringBuilder(anchored ? "^" : "^(?:.*/)?");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*' && (i == 0 || glob[i - 1] == '/'))
            {
                if (i + 2 == glob.Length)
                {
                    pattern.Append(".*");
                    i++;
                }
                else if (glob[i + 2] == '/')
                {
                    pattern.Append("(?:.*/)?");
                    i += 2;
                }
                else
                {
                    pattern.Append("[^/]*");
                    i++;
                }
            }
            else if (c == '*')
            {
                pattern.Append("[^/]*");
            }
            else if (c == '?')
            {
                pattern.Append("[^/]");
            }
            else if (c == '[' && glob.IndexOf(']', i + 1) is var close && close > i + 1)
            {
                var body = glob[(i + 1)..close];
                var negatedClass = body[0] is '!' or '^';
                pattern.Append('[').Append(negatedClass ? "^" : "").Append(body[(negatedClass ? 1 : 0)..].Replace(@"\", @"\\", StringComparison.Ordinal).Replace("[", @"\[", StringComparison.Ordinal)).Append(']');
                i = close;
            }
            else if (c == '\\' && i + 1 < glob.Length)
            {
                pattern.Append(Regex.Escape(glob[++i].ToString()));
            }
            else
            {
                pattern.Append(Regex.Escape(c.ToString()));
            }
        }
        pattern.Append('$');
        return new Regex(pattern.ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }
}
