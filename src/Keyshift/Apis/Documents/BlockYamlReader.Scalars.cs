using System.Globalization;
using System.Text;

namespace Keyshift.Apis.Documents;

internal static partial class BlockYamlReader
{
    private sealed partial class Reader
    {
        /// <summary>A double-quoted scalar closed on its own line, escapes decoded; <paramref name="end"/> is past the quote.</summary>
        private string Double(Line line, int start, out int end)
        {
            var i = start + 1;
            var close = text.AsSpan(i, line.End - i).IndexOfAny('"', '\\');
            if (close >= 0 && text[i + close] == '"')
            {
                end = i + close + 1;
                return text.Substring(i, close);
            }
            var value = new StringBuilder();
            while (i < line.End)
            {
                var c = text[i++];
                if (c == '"')
                {
                    end = i;
                    return value.ToString();
                }
                if (c != '\\')
                {
                    value.Append(c);
                    continue;
                }
                if (i >= line.End)
                    break;
                var e = text[i++];
                switch (e)
                {
                    case '0': value.Append('\0'); break;
                    case 'a': value.Append('\a'); break;
                    case 'b': value.Append('\b'); break;
                    case 't' or '\t': value.Append('\t'); break;
                    case 'n': value.Append('\n'); break;
                    case 'v': value.Append('\v'); break;
                    case 'f': value.Append('\f'); break;
                    case 'r': value.Append('\r'); break;
                    case 'e': value.Append('\x1b'); break;
                    case ' ' or '"' or '/' or '\\': value.Append(e); break;
                    case 'N': value.Append('\u0085'); break;
                    case '_': value.Append('\u00a0'); break;
                    case 'L': value.Append('\u2028'); break;
                    case 'P': value.Append('\u2029'); break;
                    case 'x': i = Hex(value, i, 2, line.End); break;
                    case 'u': i = Hex(value, i, 4, line.End); break;
                    case 'U': i = Hex(value, i, 8, line.End); break;
                    default: throw new OutsideSubset();
                }
            }
            // Not closed on this line: a multi-line scalar.
            throw new OutsideSubset();
        }

        private int Hex(StringBuilder value, int start, int digits, int end)
        {
            if (start + digits > end || !int.TryParse(text.AsSpan(start, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
                throw new OutsideSubset();
            value.Append(char.ConvertFromUtf32(code));
            return start + digits;
        }

        /// <summary>A single-quoted scalar closed on its own line (<c>''</c> is a quote).</summary>
        private string SingleQuoted(Line line, int start, out int end)
        {
            var value = new StringBuilder();
            var i = start + 1;
            while (i < line.End)
            {
                var quote = text.IndexOf('\'', i, line.End - i);
                if (quote < 0)
                    break;
                value.Append(text, i, quote - i);
                if (quote + 1 < line.End && text[quote + 1] == '\'')
                {
                    value.Append('\'');
                    i = quote + 2;
                    continue;
                }
                end = quote + 1;
                return value.ToString();
            }
            throw new OutsideSubset();
        }

        /// <summary>A flow sequence or mapping that closes on its own line.</summary>
        private ApiNode Flow(Line line, int start, int reportedLine, out int end)
        {
            Enter();
            var mapping = text[start] == '{';
            var node = new ApiNode(mapping ? ApiNodeKind.Object : ApiNodeKind.Array, reportedLine);
            var i = SkipSpaces(start + 1, line.End);
            var closer = mapping ? '}' : ']';
            if (i < line.End && text[i] == closer)
            {
                end = i + 1;
                _depth--;
                return node;
            }
            while (true)
            {
                if (mapping)
                {
                    var key = FlowScalar(line, i, line.Number, out i, isKey: true);
                    i = SkipSpaces(i, line.End);
                    if (i >= line.End || text[i] != ':' || key.Kind is ApiNodeKind.Object or ApiNodeKind.Array)
                        throw new OutsideSubset();
                    var value = FlowScalar(line, SkipSpaces(i + 1, line.End), line.Number, out i, isKey: false);
                    if (!node.TryAdd(key.Scalar ?? "", value) || key.Kind == ApiNodeKind.Null)
                        throw new OutsideSubset();
                }
                else
                {
                    node.Add(FlowScalar(line, i, line.Number, out i, isKey: false));
                }
                i = SkipSpaces(i, line.End);
                if (i >= line.End)
                    throw new OutsideSubset();
                if (text[i] == closer)
                {
                    end = i + 1;
                    _depth--;
                    return node;
                }
                if (text[i] != ',')
                    throw new OutsideSubset();
                i = SkipSpaces(i + 1, line.End);
            }
        }

        /// <summary>One item of a flow collection: a nested flow collection, a quoted scalar or a plain one.</summary>
        private ApiNode FlowScalar(Line line, int start, int number, out int end, bool isKey)
        {
            if (start >= line.End)
                throw new OutsideSubset();
            switch (text[start])
            {
                case '[' or '{' when !isKey:
                    return Flow(line, start, number, out end);
                case '"':
                    return new ApiNode(ApiNodeKind.String, number, Double(line, start, out end));
                case '\'':
                    return new ApiNode(ApiNodeKind.String, number, SingleQuoted(line, start, out end));
                case '[' or '{' or ']' or '}' or ',' or '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`' or '#' or '?' or ':' or '-' when
                    text[start] is not '-' || start + 1 >= line.End || text[start + 1] is ' ' or ',' or ']' or '}':
                    throw new OutsideSubset();
            }
            var i = start;
            while (i < line.End && text[i] is not (',' or '[' or ']' or '{' or '}' or '#'))
            {
                if (text[i] == ':' && (i + 1 >= line.End || text[i + 1] is ' ' or ',' or ']' or '}'))
                {
                    if (!isKey)
                        throw new OutsideSubset();
                    break;
                }
                i++;
            }
            if (i < line.End && text[i] is '[' or '{' or '#')
                throw new OutsideSubset();
            end = i;
            var value = text.AsSpan(start, i - start).TrimEnd(' ');
            if (value.IsEmpty || value.Contains('\t'))
                throw new OutsideSubset();
            return YamlTreeReader.ScalarNode(plain: true, value.ToString(), number);
        }

        /// <summary>
        /// A literal (<c>|</c>) or folded (<c>&gt;</c>) block scalar with clip, strip or keep chomping; explicit
        /// indentation, more-indented folded lines and a last line without a line break are left to the general parser.
        /// </summary>
        private ApiNode BlockScalar(Line line, int start, int ownerIndent, int reportedLine)
        {
            var folded = text[start] == '>';
            var chomp = ' ';
            var i = start + 1;
            if (i < line.End && text[i] is '-' or '+')
                chomp = text[i++];
            if (!IsEnd(SkipSpaces(i, line.End)) || (i < line.End && text[i] != ' ' && text[i] != '#'))
                throw new OutsideSubset();
            Consume();

            var lines = new List<(int Start, int End)>();
            var indent = -1;
            var trailingEmpty = 0;
            while (_scan < text.Length)
            {
                var (lineStart, lineEnd, next) = RawLine();
                if (lineEnd == text.Length && next == text.Length && lineEnd > lineStart)
                {
                    // The last line has no line break: where its value ends is the general parser's call.
                    if (text.AsSpan(lineStart, lineEnd - lineStart).Trim(' ').Length > 0)
                        throw new OutsideSubset();
                }
                var spaces = 0;
                while (lineStart + spaces < lineEnd && text[lineStart + spaces] == ' ')
                    spaces++;
                var blank = lineStart + spaces == lineEnd;
                if (!blank && text[lineStart + spaces] == '\t' && (indent < 0 || spaces < indent))
                    throw new OutsideSubset();
                if (blank)
                {
                    // Spaces on a blank line may be content (or, before the first line, an error): the general parser decides.
                    if (indent >= 0 ? spaces > indent : spaces > 0)
                        throw new OutsideSubset();
                    lines.Add((lineEnd, lineEnd));
                    trailingEmpty++;
                    _scan = next;
                    _number++;
                    continue;
                }
                if (indent < 0)
                {
                    if (spaces <= ownerIndent)
                        break;
                    indent = spaces;
                }
                if (spaces < indent)
                    break;
                if (folded && spaces > indent)
                    throw new OutsideSubset();
                lines.Add((lineStart + indent, lineEnd));
                trailingEmpty = 0;
                _scan = next;
                _number++;
            }
            // Blank lines after the last content line belong to it only through chomping; a blank line that is
            // followed by less indented content was read above and stays in the count.
            var content = lines.Count - trailingEmpty;
            var value = new StringBuilder();
            var pendingBreaks = 0;
            var started = false;
            for (var n = 0; n < content; n++)
            {
                var (s, e) = lines[n];
                if (s == e)
                {
                    pendingBreaks++;
                    continue;
                }
                if (folded)
                {
                    if (pendingBreaks > 0)
                        value.Append('\n', pendingBreaks);
                    else if (value.Length > 0)
                        value.Append(' ');
                }
                else
                {
                    value.Append('\n', started ? pendingBreaks + 1 : pendingBreaks);
                }
                started = true;
                pendingBreaks = 0;
                value.Append(text, s, e - s);
            }
            if (content > 0)
            {
                if (chomp != '-')
                    value.Append('\n');
                if (chomp == '+')
                    value.Append('\n', trailingEmpty);
            }
            else if (chomp == '+')
            {
                value.Append('\n', trailingEmpty);
            }
            return new ApiNode(ApiNodeKind.String, reportedLine, value.ToString());
        }
    }
}
