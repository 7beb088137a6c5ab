using System.Globalization;
using System.Text;

namespace Keyshift.Stores.Yaml;

/// <summary>
/// Writes a string as a YAML scalar that every reader (YAML 1.1 and 1.2, block or flow context) reads back as
/// exactly that string: plain when that is unambiguous, otherwise double-quoted with escapes.
/// </summary>
internal static class YamlScalarWriter
{
    // YAML 1.1 resolves these (in any case) to booleans or null; 1.2 a subset. Quote them all.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~",
    };

    public static string Write(string value) => IsPlainSafe(value) ? value : DoubleQuoted(value);

    public static void Write(StringBuilder to, string value)
    {
        if (IsPlainSafe(value))
            to.Append(value);
        else
            AppendDoubleQuoted(to, value);
    }

    /// <summary>
    /// Deliberately narrower than the YAML grammar: a value that starts with a letter, <c>_</c> or <c>/</c>, has
    /// no indicator a reader could take for structure, a comment or a number, and is not a reserved word.
    /// </summary>
    public static bool IsPlainSafe(string value)
    {
        if (value.Length == 0 || Reserved.Contains(value))
            return false;
        var first = value[0];
        if (!(char.IsAsciiLetter(first) || first is '_' or '/' || (first > 0x7F && char.IsLetter(first))))
            return false;
        if (value[^1] == ' ')
            return false;
        foreach (var c in value)
        {
            if (c is ':' or '#' or ',' or '[' or ']' or '{' or '}' or '"' or '\'' or '`' or '|' or '>' or '&' or '*' or '!' or '%' or '@')
                return false;
            if (!IsPrintable(c) || c == '\t' || c == '\uFEFF')
                return false;
        }
        return true;
    }

    public static string DoubleQuoted(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        AppendDoubleQuoted(builder, value);
        return builder.ToString();
    }

    public static void AppendDoubleQuoted(StringBuilder to, string value)
    {
        to.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': to.Append("\\\""); break;
                case '\\': to.Append("\\\\"); break;
                case '\n': to.Append("\\n"); break;
                case '\r': to.Append("\\r"); break;
                case '\t': to.Append("\\t"); break;
                case '\0': to.Append("\\0"); break;
                // Line breaks in YAML 1.1: written raw, a reader would fold them.
                case '\u0085': to.Append("\\N"); break;
                case '\u2028': to.Append("\\L"); break;
                case '\u2029': to.Append("\\P"); break;
                case '\uFEFF' or '\uFFFE' or '\uFFFF': to.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)); break;
                default:
                    if (c < 0x20 || c is >= '\u007F' and <= '\u009F')
                        to.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                    else
                        to.Append(c);
                    break;
            }
        }
        to.Append('"');
    }

    private static bool IsPrintable(char c) =>
        c is >= ' ' and <= '~' || c is >= '\u00A0' and <= '\uFFFD' && c is not ('\u2028' or '\u2029') || char.IsSurrogate(c);
}
