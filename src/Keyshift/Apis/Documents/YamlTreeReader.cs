using System.Text.RegularExpressions;
using Keyshift.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Keyshift.Apis.Documents;

/// <summary>
/// Reads YAML into <see cref="ApiNode"/>s from parser events (no recursion), keeping the line of every node so
/// changes are reported against the original YAML.
/// </summary>
internal static partial class YamlTreeReader
{
    // Aliases share nodes, but a walk over a document full of aliases can still explode ("billion laughs").
    private const int MaxAliases = 10_000;

    public static ApiNode Read(TextReader text, string file)
    {
        var parser = new Parser(text);
        var stack = new Stack<(ApiNode Node, string? PendingKey, int KeyLine)>();
        var anchors = new Dictionary<string, ApiNode>(StringComparer.Ordinal);
        ApiNode? root = null;
        var aliases = 0;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                // A value in a mapping is reported at its key's line (`get:`), not where its block starts below it.
                var line = stack.Count > 0 && stack.Peek() is { Node.IsObject: true, PendingKey: not null } holder ? holder.KeyLine : (int)current.Start.Line;
                ApiNode node;
                switch (current)
                {
                    case DocumentStart when root is not null:
                        throw new BadInputException(new SourceLocation(file, line), "", "holds more than one YAML document; an OpenAPI document is one");
                    case MappingStart m:
                        node = new ApiNode(ApiNodeKind.Object, line);
                        Remember(anchors, m.Anchor, node);
                        break;
                    case SequenceStart s:
                        node = new ApiNode(ApiNodeKind.Array, line);
                        Remember(anchors, s.Anchor, node);
                        break;
                    case MappingEnd or SequenceEnd:
                        stack.Pop();
                        continue;
                    case Scalar scalar:
                        if (stack.Count > 0 && stack.Peek() is { Node.IsObject: true, PendingKey: null } top)
                        {
                            stack.Pop();
                            stack.Push((top.Node, scalar.Value, (int)scalar.Start.Line));
                            continue;
                        }
                        node = ScalarNode(scalar.Style == ScalarStyle.Plain, scalar.Value, line);
                        Remember(anchors, scalar.Anchor, node);
                        break;
                    case AnchorAlias alias:
                        if (++aliases > MaxAliases)
                            throw new BadInputException(new SourceLocation(file, line), "", $"uses more than {MaxAliases} YAML aliases; refusing to expand it");
                        if (!anchors.TryGetValue(alias.Value.Value, out node!))
                            throw new BadInputException(new SourceLocation(file, line), "", $"alias *{alias.Value.Value} names no anchor");
                        if (stack.Count > 0 && stack.Peek() is { Node.IsObject: true, PendingKey: null })
                            throw new BadInputException(new SourceLocation(file, line), "", "a mapping key must be a plain value");
                        break;
                    default:
                        continue;
                }
                if (stack.Count == 0)
                    root ??= node;
                else
                {
                    var (parent, key, _) = stack.Pop();
                    if (parent.IsObject)
                    {
                        if (key is null)
                            throw new BadInputException(new SourceLocation(file, line), parent.Pointer, "a mapping key must be a plain value");
                        if (!parent.TryAdd(key, node))
                            throw new BadInputException(new SourceLocation(file, line), parent.Pointer + "/" + key, "appears twice");
                        stack.Push((parent, null, 0));
                    }
                    else
                    {
                        parent.Add(node);
                        stack.Push((parent, null, 0));
                    }
                }
                if (current is MappingStart or SequenceStart)
                {
                    if (stack.Count >= ApiDocumentLoader.MaxDepth)
                        throw new BadInputException(new SourceLocation(file, line), "", $"is nested more than {ApiDocumentLoader.MaxDepth} levels deep");
                    stack.Push((node, null, 0));
                }
            }
        }
        catch (YamlException e)
        {
            throw new BadInputException(new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column), "", $"not valid YAML ({e.Message.TrimEnd('.')})");
        }
        return root ?? throw new BadInputException(new SourceLocation(file, 1), "", "the document is empty");
    }

    private static void Remember(Dictionary<string, ApiNode> anchors, AnchorName anchor, ApiNode node)
    {
        if (!anchor.IsEmpty)
            anchors[anchor.Value] = node;
    }

    /// <summary>A scalar's node: quoted ones are strings; plain ones are typed as YAML's core schema types them.</summary>
    public static ApiNode ScalarNode(bool plain, string value, int line)
    {
        if (!plain)
            return new ApiNode(ApiNodeKind.String, line, value);
        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => new ApiNode(ApiNodeKind.Null, line),
            "true" or "True" or "TRUE" => new ApiNode(ApiNodeKind.Boolean, line, "true"),
            "false" or "False" or "FALSE" => new ApiNode(ApiNodeKind.Boolean, line, "false"),
            _ when NumberPattern().IsMatch(value) => new ApiNode(ApiNodeKind.Number, line, value),
            _ => new ApiNode(ApiNodeKind.String, line, value),
        };
    }

    [GeneratedRegex(@"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")]
    private static partial Regex NumberPattern();
}
