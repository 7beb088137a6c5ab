using System.Text.Json;

namespace Keyshift.Stores.Json;

/// <summary>
/// Reads a JSON file with <see cref="Utf8JsonReader"/> (comments and trailing commas accepted) into the
/// spans a rewrite needs. The top level must be an object; a name twice in one object is bad input.
/// </summary>
internal static class JsonParser
{
    private sealed class Frame(JsonObjectNode node)
    {
        public JsonObjectNode Node { get; } = node;
        public string Name { get; set; } = "";
        public int Line { get; set; }
        public int NameStart { get; set; }
        public int NameEnd { get; set; }
        public int ValueStart { get; set; }
    }

    public static JsonFile Parse(string path, byte[] content, string owner)
    {
        var bom = content.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var body = content.AsSpan(bom);
        if (body.IndexOfAnyExcept(" \t\r\n"u8) < 0)
            return new JsonFile(path, content, null, owner);

        var options = new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 256 };
        var reader = new Utf8JsonReader(body, options);
        var stack = new Stack<Frame>();
        JsonObjectNode? root = null;
        var lines = new LineCounter(content);
        try
        {
            while (reader.Read())
            {
                var at = bom + (int)reader.TokenStartIndex;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        var node = new JsonObjectNode(at);
                        if (stack.Count == 0)
                            root = node;
                        else
                            stack.Peek().ValueStart = at;
                        stack.Push(new Frame(node));
                        break;
                    case JsonTokenType.EndObject:
                        var done = stack.Pop();
                        done.Node.Close = at;
                        if (stack.Count > 0)
                            Add(stack.Peek(), at + 1, JsonTokenType.StartObject, false, done.Node, path, owner);
                        break;
                    case JsonTokenType.PropertyName:
                        var frame = stack.Peek();
                        frame.Name = reader.GetString()!;
                        frame.NameStart = at;
                        frame.NameEnd = at + reader.ValueSpan.Length + 2;
                        frame.Line = lines.LineAt(at);
                        break;
                    case JsonTokenType.StartArray:
                        var holder = stack.Count > 0 ? stack.Peek() : throw NotAnObject(path, owner);
                        holder.ValueStart = at;
                        reader.Skip();
                        Add(holder, bom + (int)reader.TokenStartIndex + 1, JsonTokenType.StartArray, false, null, path, owner);
                        break;
                    default:
                        var parent = stack.Count > 0 ? stack.Peek() : throw NotAnObject(path, owner);
                        parent.ValueStart = at;
                        var length = reader.ValueSpan.Length + (reader.TokenType == JsonTokenType.String ? 2 : 0);
                        Add(parent, at + length, reader.TokenType, reader.ValueIsEscaped, null, path, owner);
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new StoreException($"{path}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: {owner}: malformed JSON");
        }
        catch (InvalidOperationException)
        {
            // GetString refuses a member name whose escapes are not valid Unicode.
            throw new StoreException($"{path}:{lines.LineAt(bom + (int)reader.TokenStartIndex)}: {owner}: a member name has an escape that is not valid Unicode");
        }
        return new JsonFile(path, content, root, owner);
    }

    private static void Add(Frame frame, int valueEnd, JsonTokenType kind, bool escaped, JsonObjectNode? child, string path, string owner)
    {
        var member = new JsonMember(frame.Name, frame.Line, frame.NameStart, frame.NameEnd, frame.ValueStart, valueEnd, kind, escaped, child);
        if (frame.Node.TryAdd(member) is { } first)
            throw new StoreException($"{path}:{member.Line}: {owner}: duplicate member '{member.Name}' (first at {path}:{first.Line})");
    }

    private static StoreException NotAnObject(string path, string owner) =>
        new($"{path}:1: {owner}: the top level of the file must be a JSON object");

    /// <summary>Turns increasing offsets into 1-based line numbers in one pass over the file.</summary>
    private sealed class LineCounter(byte[] content)
    {
        private int _offset;
        private int _line = 1;

        public int LineAt(int offset)
        {
            if (offset < _offset)
            {
                _offset = 0;
                _line = 1;
            }
            _line += content.AsSpan(_offset, offset - _offset).Count((byte)'\n');
            _offset = offset;
            return _line;
        }
    }
}
