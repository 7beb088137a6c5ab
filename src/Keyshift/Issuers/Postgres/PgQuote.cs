using System.Text;

namespace Keyshift.Issuers.Postgres;

/// <summary>
/// SQL quoting for the few places PostgreSQL takes no parameters (DDL: role names, <c>PASSWORD</c>). Every
/// identifier is quoted, always: a role called <c>a"b; DROP ROLE x</c> stays one identifier.
/// </summary>
public static class PgQuote
{
    /// <summary>A double-quoted identifier with embedded quotes doubled; NUL is refused (PostgreSQL cannot hold it).</summary>
    public static string Identifier(string name)
    {
        if (name.Length == 0)
            throw new ArgumentException("an identifier cannot be empty", nameof(name));
        if (name.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException("an identifier cannot contain NUL", nameof(name));
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A standard-conforming string literal (<c>E''</c> never used); quotes doubled, NUL refused.</summary>
    public static string Literal(string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException("a literal cannot contain NUL", nameof(text));
        return "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>A role name of at most 63 bytes (PostgreSQL's NAMEDATALEN - 1): the prefix is cut on a character boundary.</summary>
    public static string RoleName(string prefix, string suffix)
    {
        const int max = 63;
        var budget = max - Encoding.UTF8.GetByteCount(suffix);
        var cut = prefix;
        while (Encoding.UTF8.GetByteCount(cut) > budget)
            cut = cut[..^(char.IsLowSurrogate(cut[^1]) && cut.Length > 1 ? 2 : 1)];
        return cut + suffix;
    }
}
