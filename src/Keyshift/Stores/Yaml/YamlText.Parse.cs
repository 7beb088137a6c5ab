using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Keyshift.Stores.Yaml;

internal sealed partial class YamlText
{
    /// <summary>Parses every document of <paramref name="text"/> into nodes with their spans.</summary>
    public static YamlText Parse(string text, bool hasBom = false)
    {
        var builder = new TreeBuilder(text);
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
                builder.Add(parser.Current!);
        }
        catch (YamlException e)
        {
            throw new YamlEditException("malformed YAML: " + ParserMessage(e), (int)e.Start.Line, (int)e.Start.Column, e);
        }
        return new YamlText(text, hasBom, builder.Documents, builder.IndentStep ?? 2);
    }

    // YamlDotNet prefixes its messages with the marks, which the caller reports in its own form.
    private static string ParserMessage(YamlException e) => MarkPrefix().Replace(e.Message, "");

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();

    private sealed class TreeBuilder(string text)
    {
        private readonly Stack<Frame> _open = new();
        private readonly Dictionary<string, YamlTextNode> _anchors = new(StringComparer.Ordinal);
        private YamlTextNode? _root;

        public List<YamlTextDocument> Documents { get; } = [];

        public int? IndentStep { get; private set; }

        public void Add(ParsingEvent e)
        {
            switch (e)
            {
                case DocumentStart:
                    _anchors.Clear();
                    _root = null;
                    break;
                case DocumentEnd end:
                    Documents.Add(new YamlTextDocument(Documents.Count, _root, end.IsImplicit ? -1 : (int)end.Start.Index));
                    break;
                case Scalar scalar:
                    Attach(Scalar(scalar));
                    break;
                case AnchorAlias alias:
                    Attach(Alias(alias));
                    break;
                case MappingStart start:
                    Open(start, YamlNodeKind.Mapping, start.Style == MappingStyle.Flow);
                    break;
                case SequenceStart start:
                    Open(start, YamlNodeKind.Sequence, start.Style == SequenceStyle.Flow);
                    break;
                case MappingEnd or SequenceEnd:
                    Close(e);
                    break;
            }
        }

        private YamlTextNode Scalar(Scalar e)
        {
            var start = (int)e.Start.Index;
            var end = (int)e.End.Index;
            var node = new YamlTextNode
            {
                Kind = YamlNodeKind.Scalar,
                Start = start,
                End = end,
                ContentEnd = e.Style is ScalarStyle.Literal or ScalarStyle.Folded ? BlockScalarEnd(start, end) : end,
                Line = (int)e.Start.Line,
                Column = (int)e.Start.Column,
                Style = e.Style,
                Value = e.Value,
                Anchor = e.Anchor.IsEmpty ? null : e.Anchor.Value,
                Tag = e.Tag.IsEmpty ? null : e.Tag.Value,
            };
            Remember(node);
            return node;
        }

        // A block scalar's span runs over trailing blank lines up to the next token; unless it keeps them (|+),
        // they are not its content, and a deletion or an insertion after it leaves them where they are.
        private int BlockScalarEnd(int start, int end)
        {
            var header = start;
            while (header < end && text[header] is not ('\n' or '\r' or '#'))
                header++;
            if (text.AsSpan(start, header - start).Contains('+'))
                return end;
            var last = end - 1;
            while (last > start && text[last] is ' ' or '\t' or '\r' or '\n')
                last--;
            var lineBreak = text.IndexOf('\n', last);
            return lineBreak < 0 || lineBreak >= end ? end : lineBreak + 1;
        }

        private YamlTextNode Alias(AnchorAlias e)
        {
            if (!_anchors.TryGetValue(e.Value.Value, out var target))
                throw new YamlEditException($"malformed YAML: alias *{e.Value.Value} names no anchor before it", (int)e.Start.Line, (int)e.Start.Column);
            return new YamlTextNode
            {
                Kind = YamlNodeKind.Alias,
                Start = (int)e.Start.Index,
                End = (int)e.End.Index,
                ContentEnd = (int)e.End.Index,
                Line = (int)e.Start.Line,
                Column = (int)e.Start.Column,
                Target = target.Resolved,
            };
        }

        private void Open(NodeEvent e, YamlNodeKind kind, bool flow)
        {
            var node = new YamlTextNode
            {
                Kind = kind,
                Start = (int)e.Start.Index,
                Line = (int)e.Start.Line,
                Column = (int)e.Start.Column,
                IsFlow = flow,
                Anchor = e.Anchor.IsEmpty ? null : e.Anchor.Value,
                Tag = e.Tag.IsEmpty ? null : e.Tag.Value,
            };
            if (kind == YamlNodeKind.Mapping && !flow && IndentStep is null
                && _open.TryPeek(out var parent) && parent.Node is { Kind: YamlNodeKind.Mapping, IsFlow: false } && node.Column > parent.Node.Column)
                IndentStep = node.Column - parent.Node.Column;
            Remember(node);
            _open.Push(new Frame(node));
        }

        private void Close(ParsingEvent e)
        {
            var frame = _open.Pop();
            var node = frame.Node;
            // A flow collection's end event sits on its closing bracket; a block one's on the next token.
            node.End = node.IsFlow ? (int)e.Start.Index + 1 : (int)e.Start.Index;
            node.ContentEnd = node.IsFlow ? node.End : frame.LastChild?.ContentEnd ?? node.Start;
            Attach(node);
        }

        private void Remember(YamlTextNode node)
        {
            if (node.Anchor is { } anchor)
                _anchors[anchor] = node;
        }

        private void Attach(YamlTextNode node)
        {
            if (!_open.TryPeek(out var frame))
            {
                _root = node;
                return;
            }
            frame.LastChild = node;
            if (frame.Node.Kind != YamlNodeKind.Mapping)
                return;
            if (frame.PendingKey is null)
            {
                frame.PendingKey = node;
                return;
            }
            var key = frame.PendingKey;
            frame.PendingKey = null;
            if (!frame.Node.Add(key, node))
                throw new YamlEditException($"malformed YAML: duplicate key '{key.Value}' in one mapping", key.Line, key.Column);
        }

        private sealed class Frame(YamlTextNode node)
        {
            public YamlTextNode Node { get; } = node;

            public YamlTextNode? PendingKey { get; set; }

            public YamlTextNode? LastChild { get; set; }
        }
    }
}
