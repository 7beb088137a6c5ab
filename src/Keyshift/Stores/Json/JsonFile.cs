using System.Text.Json;
using Keyshift.Secrets;

namespace Keyshift.Stores.Json;

/// <summary>
/// A parsed JSON file: its bytes exactly as read and the objects in it with the spans of every member.
/// A rewrite splices new text into these bytes; the document is never re-serialised.
/// </summary>
internal sealed class JsonFile
{
    public JsonFile(string path, byte[] content, JsonObjectNode? root, string owner)
    {
        Path = path;
        Content = content;
        Root = root;
        Owner = owner;
        var firstBreak = Array.IndexOf(content, (byte)'\n');
        Newline = firstBreak > 0 && content[firstBreak - 1] == '\r' ? "\r\n"u8.ToArray() : "\n"u8.ToArray();
    }

    public string Path { get; }

    public byte[] Content { get; }

    /// <summary>The top-level object; null when the file is missing, empty or only whitespace.</summary>
    public JsonObjectNode? Root { get; }

    /// <summary>Names the store in messages (<c>store 'app'</c>).</summary>
    public string Owner { get; }

    /// <summary>CRLF when the file's first line ends so, otherwise LF.</summary>
    public byte[] Newline { get; }

    /// <summary>The member at <c>segments#key</c>, or null.</summary>
    public JsonMember? Find(IReadOnlyList<string> segments, string key) => FindObject(segments)?.Find(key);

    /// <summary>The object at the path <paramref name="segments"/>, or null.</summary>
    public JsonObjectNode? FindObject(IReadOnlyList<string> segments)
    {
        var node = Root;
        foreach (var segment in segments)
            node = node?.Find(segment)?.Child;
        return node;
    }

    /// <summary>A string leaf unescaped; any other leaf as its JSON text.</summary>
    public SecretValue ValueOf(JsonMember member)
    {
        var written = Content.AsSpan(member.ValueStart, member.ValueEnd - member.ValueStart);
        if (member.Kind != JsonTokenType.String)
            return SecretValue.FromBytes(written);
        if (!member.ValueEscaped)
            return SecretValue.FromBytes(written[1..^1]);
        var reader = new Utf8JsonReader(written);
        reader.Read();
        var buffer = new byte[written.Length];
        try
        {
            return SecretValue.FromBytes(buffer.AsSpan(0, reader.CopyString(buffer)));
        }
        catch (InvalidOperationException)
        {
            throw new StoreException($"{Locate(member)}: {Owner}: the value of '{member.Name}' has an escape that is not valid Unicode (a lone surrogate)");
        }
        finally
        {
            Array.Clear(buffer);
        }
    }

    /// <summary>Where the member is, as <c>file:line</c>.</summary>
    public string Locate(JsonMember member) => $"{Path}:{member.Line}";
}
