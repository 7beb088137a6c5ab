using System.Runtime.CompilerServices;

namespace Keyshift.Apis.Documents;

/// <summary>
/// Reads the YAML that OpenAPI documents are written in — block mappings and sequences of one-line plain,
/// quoted and flow values, literal and folded block scalars, comments — straight into <see cref="ApiNode"/>s,
/// four to five times faster than the general parser. Anything outside that subset (anchors, tags, multi-line
/// plain or quoted scalars, several documents, and every error) returns null, and the caller falls back to
/// <see cref="YamlTreeReader"/>, so results and error messages are always those of the general parser.
/// </summary>
internal static partial class BlockYamlReader
{
    public static ApiNode? TryRead(string text)
    {
        try
        {
            return new Reader(text).Document();
        }
        catch (OutsideSubset)
        {
            return null;
        }
    }

    /// <summary>Thrown where the text leaves the subset; never escapes <see cref="TryRead"/>.</summary>
    private sealed class OutsideSubset : Exception;

    /// <summary>A line with content: where it starts, ends (before the line break) and where its content begins.</summary>
    private readonly record struct Line(int Number, int Start, int End, int Content)
    {
        public int Indent => Content - Start;
    }

    private sealed partial class Reader(string text)
    {
        private int _scan;
        private int _number = 1;
        private Line? _current;
        private int _depth;

        public ApiNode Document()
        {
            var first = Peek() ?? throw new OutsideSubset();
            if (Starts(first, "---") && IsEnd(first.Content + 3))
            {
                Consume();
                first = Peek() ?? throw new OutsideSubset();
            }
            var root = IsSequenceItem(first) ? Sequence(first.Indent, first.Number) : Mapping(first.Indent, first.Number);
            if (Peek() is not null)
                throw new OutsideSubset();
            return root;
        }

        private ApiNode Block(int parentIndent, int line)
        {
            var next = Peek()!.Value;
            if (next.Indent <= parentIndent)
                throw new OutsideSubset();
            return IsSequenceItem(next) ? Sequence(next.Indent, line) : Mapping(next.Indent, line);
        }

        private ApiNode Mapping(int indent, int line)
        {
            Enter();
            var node = new ApiNode(ApiNodeKind.Object, line);
            while (Peek() is { } entry && entry.Indent >= indent)
            {
                if (entry.Indent > indent || IsSequenceItem(entry))
                    throw new OutsideSubset();
                var (key, valueStart) = Key(entry) ?? throw new OutsideSubset();
                var value = Value(entry, valueStart, indent, entry.Number, inMapping: true);
                if (!node.TryAdd(key, value))
                    throw new OutsideSubset();
            }
            _depth--;
            return node;
        }

        private ApiNode Sequence(int indent, int line)
        {
            Enter();
            var node = new ApiNode(ApiNodeKind.Array, line);
            // A sequence at its key's indentation ends at the next key there.
            while (Peek() is { } item && item.Indent >= indent && IsSequenceItem(item))
            {
                if (item.Indent > indent)
                    throw new OutsideSubset();
                var start = item.Content + 1;
                if (start < item.End && text[start] == '\t')
                    throw new OutsideSubset();
                var content = SkipSpaces(start, item.End);
                var inline = item with { Content = content };
                if (!IsEnd(content) && Key(inline) is not null)
                {
                    // `- name: value` opens a mapping whose keys line up with `name`.
                    _current = inline;
                    node.Add(Mapping(inline.Indent, item.Number));
                }
                else
                {
                    node.Add(Value(item, content, indent, item.Number, inMapping: false));
                }
            }
            _depth--;
            return node;
        }

        /// <summary>The value after <c>key:</c> or <c>-</c> at <paramref name="start"/> on <paramref name="line"/>.</summary>
        private ApiNode Value(Line line, int start, int ownerIndent, int reportedLine, bool inMapping)
        {
            start = SkipSpaces(start, line.End);
            if (IsEnd(start))
            {
                Consume();
                var next = Peek();
                if (!inMapping)
                {
                    // `-` alone with its block below: the block is reported where it starts. An empty item is left to the general parser.
                    return next is { } block && block.Indent > ownerIndent ? Block(ownerIndent, block.Number) : throw new OutsideSubset();
                }
                if (next is { } below && below.Indent > ownerIndent)
                    return Block(ownerIndent, reportedLine);
                // A mapping's value may be a sequence at the key's own indentation.
                if (next is { } same && same.Indent == ownerIndent && IsSequenceItem(same))
                    return Sequence(ownerIndent, reportedLine);
                return new ApiNode(ApiNodeKind.Null, reportedLine);
            }
            var node = text[start] switch
            {
                '|' or '>' => BlockScalar(line, start, ownerIndent, reportedLine),
                '"' => OneLine(new ApiNode(ApiNodeKind.String, reportedLine, Double(line, start, out var end)), end),
                '\'' => OneLine(new ApiNode(ApiNodeKind.String, reportedLine, SingleQuoted(line, start, out var end)), end),
                '[' or '{' => OneLine(Flow(line, start, reportedLine, out var end), end),
                '&' or '*' or '!' or '@' or '`' or '%' or ',' or ']' or '}' or '#' => throw new OutsideSubset(),
                '-' or '?' or ':' when start + 1 >= line.End || text[start + 1] is ' ' or '\t' => throw new OutsideSubset(),
                _ => PlainValue(line, start, reportedLine),
            };
            // A more indented line after a one-line value would continue it (or be an error): not in the subset.
            if (text[start] is not ('|' or '>') && Peek() is { } after && after.Indent > ownerIndent)
                throw new OutsideSubset();
            return node;
        }

        private ApiNode PlainValue(Line line, int start, int reportedLine)
        {
            var end = PlainEnd(line, start);
            var value = text.AsSpan(start, end - start);
            if (value.Contains(": ", StringComparison.Ordinal) || value.EndsWith(':') || value.Contains('\t'))
                throw new OutsideSubset();
            Consume();
            return YamlTreeReader.ScalarNode(plain: true, value.ToString(), reportedLine);
        }

        /// <summary>A one-line value that ended at <paramref name="end"/>: only a comment may follow it on its line.</summary>
        private ApiNode OneLine(ApiNode value, int end)
        {
            if (!IsEnd(SkipSpaces(end, _current!.Value.End)))
                throw new OutsideSubset();
            Consume();
            return value;
        }

        /// <summary>The key of a <c>key: value</c> line and where its value starts, or null when the line is no mapping entry.</summary>
        private (string Key, int ValueStart)? Key(Line line)
        {
            var start = line.Content;
            var c = text[start];
            if (c is '"' or '\'')
            {
                var key = c == '"' ? Double(line, start, out var end) : SingleQuoted(line, start, out end);
                end = SkipSpaces(end, line.End);
                return end < line.End && text[end] == ':' && (end + 1 >= line.End || text[end + 1] == ' ') ? (key, end + 1) : null;
            }
            if (c is '[' or '{' or '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`' or '#' or ',' or ']' or '}' or '?' or ':' or '-')
                return null;
            for (var i = start; i < line.End; i++)
            {
                var ch = text[i];
                if (ch == ':' && (i + 1 >= line.End || text[i + 1] == ' '))
                {
                    var key = text.AsSpan(start, i - start).TrimEnd(' ');
                    return key.Contains('\t') ? throw new OutsideSubset() : (key.ToString(), i + 1);
                }
                if (ch == '#' && text[i - 1] == ' ')
                    return null;
            }
            return null;
        }

        private Line? Peek() => _current ??= NextContent();

        private void Consume() => _current = null;

        /// <summary>The next line that is not blank and not only a comment; tabs in indentation leave the subset.</summary>
        private Line? NextContent()
        {
            while (_scan < text.Length)
            {
                var (start, end, next) = RawLine();
                var number = _number++;
                _scan = next;
                var content = start;
                while (content < end && text[content] == ' ')
                    content++;
                if (content < end && text[content] == '\t')
                {
                    if (text.AsSpan(content, end - content).TrimStart(" \t").IsEmpty)
                        continue;
                    throw new OutsideSubset();
                }
                if (content == end || text[content] == '#')
                    continue;
                if (text[content] == '%' || (Starts(start, end, "---") || Starts(start, end, "...")) && number > 1)
                    throw new OutsideSubset();
                return new Line(number, start, end, content);
            }
            return null;
        }

        /// <summary>The line at the scan position: its start, its end before the line break, and the next line's start.</summary>
        private (int Start, int End, int Next) RawLine()
        {
            var start = _scan;
            var newline = text.IndexOf('\n', start);
            var next = newline < 0 ? text.Length : newline + 1;
            var end = newline < 0 ? text.Length : newline;
            if (end > start && text[end - 1] == '\r')
                end--;
            return (start, end, next);
        }

        private void Enter()
        {
            if (++_depth >= ApiDocumentLoader.MaxDepth)
                throw new OutsideSubset();
            RuntimeHelpers.EnsureSufficientExecutionStack();
        }

        private bool IsSequenceItem(Line line) =>
            text[line.Content] == '-' && (line.Content + 1 >= line.End || text[line.Content + 1] is ' ' or '\t');

        private bool Starts(Line line, string prefix) => Starts(line.Content, line.End, prefix);

        private bool Starts(int start, int end, string prefix) => text.AsSpan(start, end - start).StartsWith(prefix, StringComparison.Ordinal);

        /// <summary>True at the end of the current line, or where only a comment follows.</summary>
        private bool IsEnd(int position)
        {
            var end = _current?.End ?? text.Length;
            return position >= end || IsComment(position);
        }

        private bool IsComment(int position) => position < text.Length && text[position] == '#' && position > 0 && text[position - 1] is ' ' or '\t';

        private int SkipSpaces(int position, int end)
        {
            while (position < end && text[position] == ' ')
                position++;
            return position;
        }

        /// <summary>Where a plain value on the line ends: before a comment or trailing spaces.</summary>
        private int PlainEnd(Line line, int start)
        {
            var end = line.End;
            for (var i = start + 1; i < line.End; i++)
            {
                if (text[i] == '#' && text[i - 1] is ' ' or '\t')
                {
                    end = i;
                    break;
                }
            }
            while (end > start && text[end - 1] is ' ' or '\t')
                end--;
            return end;
        }
    }
}
