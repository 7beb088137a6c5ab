namespace Keyshift.Stores.Json;

/// <summary>
/// How the members of one object are laid out, read from the members it already has, so inserted members
/// look like their neighbours: one per line with the same indentation, or compact on one line.
/// </summary>
/// <param name="Pretty">One member per line.</param>
/// <param name="MemberIndent">Blanks before each member (pretty).</param>
/// <param name="CloseIndent">Blanks before the closing brace (pretty).</param>
/// <param name="Colon">Between a name and its value, e.g. <c>": "</c>.</param>
/// <param name="Separator">Between members on one line, e.g. <c>", "</c> (compact).</param>
/// <param name="Unit">One level of indentation.</param>
/// <param name="Newline">The file's line break.</param>
internal sealed record JsonStyle(bool Pretty, byte[] MemberIndent, byte[] CloseIndent, byte[] Colon, byte[] Separator, byte[] Unit, byte[] Newline)
{
    /// <summary>The style of a new object nested in an object of this style.</summary>
    public JsonStyle Nested() => Pretty ? this with { MemberIndent = [.. MemberIndent, .. Unit], CloseIndent = MemberIndent } : this;

    /// <summary>Between two members: a comma, then a line break and indentation or the compact separator.</summary>
    public byte[] Between() => Pretty ? [(byte)',', .. Newline, .. MemberIndent] : Separator;

    /// <summary>The style for a brand-new file: two-space indentation.</summary>
    public static JsonStyle ForNewFile(byte[] newline) => new(true, "  "u8.ToArray(), [], ": "u8.ToArray(), ", "u8.ToArray(), "  "u8.ToArray(), newline);

    /// <summary>The style of <paramref name="node"/>; an object without members takes <paramref name="document"/>'s.</summary>
    public static JsonStyle Of(ReadOnlySpan<byte> content, JsonObjectNode node, JsonStyle document)
    {
        var lineIndent = JsonText.LineIndent(content, node.Open).ToArray();
        if (node.Members.Count == 0)
            return document with { MemberIndent = [.. lineIndent, .. document.Unit], CloseIndent = lineIndent };

        var first = node.Members[0];
        var pretty = content[(node.Open + 1)..first.NameStart].Contains((byte)'\n');
        var colon = content[first.NameEnd..first.ValueStart];
        var colonBytes = colon.IndexOfAnyExcept(" \t:"u8) < 0 ? colon.ToArray() : (pretty ? ": "u8 : ":"u8).ToArray();
        if (!pretty)
            return document with { Pretty = false, Colon = colonBytes, Separator = CompactSeparator(content, node, colonBytes) };

        var memberIndent = JsonText.LineIndent(content, first.NameStart);
        var memberIndentBytes = memberIndent.Length == first.NameStart - (content[..first.NameStart].LastIndexOf((byte)'\n') + 1)
            ? memberIndent.ToArray()
            : [.. lineIndent, .. document.Unit];
        var unit = memberIndentBytes.AsSpan().StartsWith(lineIndent) && memberIndentBytes.Length > lineIndent.Length
            ? memberIndentBytes[lineIndent.Length..]
            : document.Unit;
        return document with { Pretty = true, MemberIndent = memberIndentBytes, CloseIndent = lineIndent, Colon = colonBytes, Unit = unit };
    }

    /// <summary>The style of the whole file, read from its top-level object.</summary>
    public static JsonStyle OfDocument(ReadOnlySpan<byte> content, JsonObjectNode root, byte[] newline) =>
        Of(content, root, ForNewFile(newline));

    private static byte[] CompactSeparator(ReadOnlySpan<byte> content, JsonObjectNode node, byte[] colon)
    {
        if (node.Members.Count >= 2)
        {
            var gap = content[node.Members[0].ValueEnd..node.Members[1].NameStart];
            var comma = gap.IndexOf((byte)',');
            if (comma >= 0 && gap[(comma + 1)..].IndexOfAnyExcept(" \t"u8) < 0 && gap[..comma].IndexOfAnyExcept(" \t"u8) < 0)
                return [(byte)',', .. gap[(comma + 1)..]];
        }
        // One member only: spaced when the object or its colon is spaced ({"a": "1"} or { "a":"1" }).
        return content[node.Open + 1] is (byte)' ' || colon.Contains((byte)' ') ? ", "u8.ToArray() : ","u8.ToArray();
    }
}
