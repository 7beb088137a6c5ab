using System.Buffers;

namespace Keyshift.Stores.Json;

/// <summary>
/// Turns a batch's edits into splices of the file's bytes, computed from one parse and applied in one
/// pass in offset order. Untouched bytes (comments, order, quoting, indentation) are copied as they were;
/// new members follow the style of the object they join; objects a delete leaves empty are removed.
/// </summary>
internal sealed class JsonRewriter
{
    private readonly byte[] _content;
    private readonly JsonStyle _document;
    private readonly List<JsonSplice> _splices = [];

    private JsonRewriter(byte[] content, JsonStyle document)
    {
        _content = content;
        _document = document;
    }

    /// <summary>The new file text; the same bytes when the edits change nothing.</summary>
    public static byte[] Rewrite(JsonFile file, JsonEditObject edits)
    {
        edits.Analyze();
        if (file.Root is null)
        {
            if (edits.Inserts.Count == 0)
                return file.Content;
            var output = new ArrayBufferWriter<byte>();
            WriteNewObject(edits, JsonStyle.ForNewFile(file.Newline), output);
            output.Write(file.Newline);
            return output.WrittenSpan.ToArray();
        }
        var rewriter = new JsonRewriter(file.Content, JsonStyle.OfDocument(file.Content, file.Root, file.Newline));
        if (edits.BecomesEmpty)
            rewriter.Replace(file.Root.Open, file.Root.Close + 1, "{}"u8.ToArray());
        else
            rewriter.Edit(edits, file.Root);
        return rewriter.Apply();
    }

    private void Edit(JsonEditObject edits, JsonObjectNode node)
    {
        var content = _content.AsSpan();
        var members = node.Members;
        var deleted = edits.Deleted;
        var lastKept = Array.LastIndexOf(deleted, false);
        var inserts = edits.Inserts;
        var style = inserts.Count > 0 ? JsonStyle.Of(content, node, _document) : _document;
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            if (!deleted[i])
            {
                if (!edits.Edits.TryGetValue(member.Name, out var edit))
                    continue;
                if (edit.Value is { } value)
                {
                    var text = new ArrayBufferWriter<byte>(value.Length + 2);
                    JsonText.WriteString(value.Bytes, text);
                    Replace(member.ValueStart, member.ValueEnd, text.WrittenMemory);
                }
                else if (edit.Child is { } child)
                    Edit(child, member.Child!);
                continue;
            }

            if (i < lastKept || (inserts.Count > 0 && i < members.Count - 1))
            {
                // A member followed by a survivor goes with its comma and the blanks after it;
                // comments after the comma stay with what follows.
                var comma = JsonText.SkipTrivia(content, member.ValueEnd);
                var end = comma < content.Length && content[comma] == ',' ? comma + 1 : member.ValueEnd;
                while (end < content.Length && JsonText.IsWhitespace(content[end]))
                    end++;
                Replace(member.NameStart, end, ReadOnlyMemory<byte>.Empty);
            }
            else if (inserts.Count > 0)
            {
                // The last member is replaced by the new ones, so the commas before it stay right.
                Replace(member.NameStart, member.ValueEnd, Block(inserts, style));
                inserts = [];
            }
            else
            {
                // The trailing run goes: the comma of the last survivor, then each member with the blanks before it.
                if (i == lastKept + 1)
                    RemoveCommaAfter(members[lastKept]);
                Replace(JsonText.WhitespaceStart(content, member.NameStart), member.ValueEnd, ReadOnlyMemory<byte>.Empty);
                RemoveCommaAfter(member);
            }
        }

        if (inserts.Count == 0)
            return;
        if (members.Count == 0)
        {
            var block = new ArrayBufferWriter<byte>();
            if (style.Pretty)
            {
                block.Write(style.Newline);
                block.Write(style.MemberIndent);
            }
            WriteMembers(inserts, style, block);
            if (style.Pretty)
            {
                block.Write(style.Newline);
                block.Write(style.CloseIndent);
            }
            Replace(node.Open + 1, node.Close, block.WrittenMemory);
            return;
        }
        var after = new ArrayBufferWriter<byte>();
        after.Write(style.Between());
        WriteMembers(inserts, style, after);
        Replace(members[^1].ValueEnd, members[^1].ValueEnd, after.WrittenMemory);
    }

    private void RemoveCommaAfter(JsonMember member)
    {
        var comma = JsonText.SkipTrivia(_content, member.ValueEnd);
        if (comma < _content.Length && _content[comma] == ',')
            Replace(comma, comma + 1, ReadOnlyMemory<byte>.Empty);
    }

    private static ReadOnlyMemory<byte> Block(List<KeyValuePair<string, JsonEdit>> inserts, JsonStyle style)
    {
        var block = new ArrayBufferWriter<byte>();
        WriteMembers(inserts, style, block);
        return block.WrittenMemory;
    }

    private static void WriteMembers(List<KeyValuePair<string, JsonEdit>> members, JsonStyle style, ArrayBufferWriter<byte> output)
    {
        var between = style.Between();
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
                output.Write(between);
            var (name, edit) = members[i];
            JsonText.WriteString(name, output);
            output.Write(style.Colon);
            if (edit.Value is { } value)
                JsonText.WriteString(value.Bytes, output);
            else
                WriteNewObject(edit.Child!, style.Nested(), output);
        }
    }

    private static void WriteNewObject(JsonEditObject edits, JsonStyle style, ArrayBufferWriter<byte> output)
    {
        output.Write("{"u8);
        if (style.Pretty)
        {
            output.Write(style.Newline);
            output.Write(style.MemberIndent);
        }
        WriteMembers(edits.Inserts, style, output);
        if (style.Pretty)
        {
            output.Write(style.Newline);
            output.Write(style.CloseIndent);
        }
        output.Write("}"u8);
    }

    private void Replace(int start, int end, ReadOnlyMemory<byte> text) => _splices.Add(new JsonSplice(start, end, text));

    private byte[] Apply()
    {
        if (_splices.Count == 0)
            return _content;
        var size = _content.Length;
        foreach (var splice in _splices)
            size += splice.Text.Length - (splice.End - splice.Start);
        var output = new byte[size];
        var written = 0;
        var pos = 0;
        foreach (var splice in _splices)
        {
            // Splices are produced in document order; an overlap would be a bug here, never a user error.
            if (splice.Start < pos)
                throw new InvalidOperationException("internal error: overlapping JSON splices");
            _content.AsSpan(pos, splice.Start - pos).CopyTo(output.AsSpan(written));
            written += splice.Start - pos;
            splice.Text.Span.CopyTo(output.AsSpan(written));
            written += splice.Text.Length;
            pos = splice.End;
        }
        _content.AsSpan(pos).CopyTo(output.AsSpan(written));
        return output;
    }
}
