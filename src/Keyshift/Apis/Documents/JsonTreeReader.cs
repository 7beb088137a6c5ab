using System.Text;
using System.Text.Json;
using Keyshift.Configuration;

namespace Keyshift.Apis.Documents;

/// <summary>Reads JSON into <see cref="ApiNode"/>s with line numbers, without recursion, so deep documents cannot overflow the stack.</summary>
internal static class JsonTreeReader
{
    public static ApiNode Read(ReadOnlySpan<byte> bytes, string file)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = ApiDocumentLoader.MaxDepth, CommentHandling = JsonCommentHandling.Skip });
        var stack = new Stack<ApiNode>();
        var keys = new Stack<string?>();
        ApiNode? root = null;
        string? key = null;
        var line = 1;
        long counted = 0;
        try
        {
            while (reader.Read())
            {
                var start = reader.TokenStartIndex;
                line += bytes[(int)counted..(int)start].Count((byte)'\n');
                counted = start;
                ApiNode? node = null;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        key = reader.GetString();
                        continue;
                    case JsonTokenType.StartObject:
                        node = new ApiNode(ApiNodeKind.Object, line);
                        break;
                    case JsonTokenType.StartArray:
                        node = new ApiNode(ApiNodeKind.Array, line);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        stack.Pop();
                        key = keys.Pop();
                        continue;
                    case JsonTokenType.String:
                        node = new ApiNode(ApiNodeKind.String, line, reader.GetString());
                        break;
                    case JsonTokenType.Number:
                        node = new ApiNode(ApiNodeKind.Number, line, Encoding.UTF8.GetString(reader.ValueSpan));
                        break;
                    case JsonTokenType.True:
                        node = new ApiNode(ApiNodeKind.Boolean, line, "true");
                        break;
                    case JsonTokenType.False:
                        node = new ApiNode(ApiNodeKind.Boolean, line, "false");
                        break;
                    case JsonTokenType.Null:
                        node = new ApiNode(ApiNodeKind.Null, line);
                        break;
                    default:
                        continue;
                }
                if (stack.Count == 0)
                    root = node;
                else if (stack.Peek().IsObject)
                {
                    if (!stack.Peek().TryAdd(key!, node))
                        throw new BadInputException(new SourceLocation(file, line), stack.Peek().Pointer + "/" + key, "appears twice");
                }
                else
                    stack.Peek().Add(node);
                if (node.Kind is ApiNodeKind.Object or ApiNodeKind.Array)
                {
                    stack.Push(node);
                    keys.Push(key);
                }
            }
        }
        catch (JsonException e)
        {
            var where = new SourceLocation(file, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1);
            throw new BadInputException(where, "", $"not valid JSON ({FirstSentence(e.Message)})");
        }
        if (root is null)
            throw new BadInputException(new SourceLocation(file, 1), "", "the document is empty");
        return root;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).TrimEnd('.');
    }
}
