using System.Text;
using System.Text.RegularExpressions;

namespace Keyshift.Scanning;

/// <summary>Path globs as in .gitignore: <c>*</c> within a segment, <c>**</c> across segments, <c>?</c> one character; a glob without <c>/</c> matches any segment.</summary>
internal static class Glob
{
    public static Regex ToRegex(string glob)
    {
        var text = glob.Replace('\\', '/').Trim('/');
        var anywhere = !text.Contains('/', StringComparison.Ordinal);
        var pattern = new StringBuilder(anywhere ? "(?:^|/)" : "^");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '*' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var slash = i + 2 < text.Length && text[i + 2] == '/';
                pattern.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*') pattern.Append("[^/]*");
            else if (c == '?') pattern.Append("[^/]");
            else pattern.Append(Regex.Escape(c.ToString()));
        }
        // A glob naming a folder also covers everything below it.
        pattern.Append("(?:/.*)?$");
        return new Regex(pattern.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
