using System.Text;

namespace Keyshift.Gateway;

/// <summary>
/// Turns a request path into a route template for the ledger (<c>/v1/charges/{id}</c>): segments that look
/// like identifiers (numbers, UUIDs, long hex or mixed tokens) become <c>{id}</c>, so the ledger stays small and
/// never holds a value that happened to travel in a path. The query string is never kept.
/// </summary>
internal static class RouteTemplate
{
    public static string Of(string method, string path)
    {
        var builder = new StringBuilder(method.Length + path.Length + 1).Append(method).Append(' ');
        var rest = path.AsSpan();
        var any = false;
        while (rest.Length > 0)
        {
            var slash = rest.IndexOf('/');
            var segment = slash < 0 ? rest : rest[..slash];
            rest = slash < 0 ? default : rest[(slash + 1)..];
            if (segment.IsEmpty)
                continue;
            any = true;
            builder.Append('/');
            if (LooksLikeId(segment))
                builder.Append("{id}");
            else
                builder.Append(segment);
        }
        return any ? builder.ToString() : builder.Append('/').ToString();
    }

    private static bool LooksLikeId(ReadOnlySpan<char> segment)
    {
        if (segment.Length == 0)
            return false;
        var digits = 0;
        var letters = 0;
        foreach (var c in segment)
        {
            if (char.IsAsciiDigit(c))
                digits++;
            else if (char.IsAsciiLetter(c))
                letters++;
            else if (c is not '-' and not '_' and not '.')
                return true;
        }
        if (digits == segment.Length)
            return true;
        // Words (charges, v1, api-keys) stay; tokens with many digits (ch_3NfZ81, UUIDs) become {id}.
        return segment.Length >= 8 && digits >= 3 || Guid.TryParse(segment, out _);
    }
}
