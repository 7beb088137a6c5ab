using System.Buffers;
using System.Text;
using Keyshift.Secrets;

namespace Keyshift.Stores.Dotenv;

/// <summary>
/// Produces the new file text for a batch: every byte outside the touched keys' spans is copied as it was.
/// An update replaces only the value as written (the <c>export </c> prefix, the spacing and an inline comment
/// stay); a delete removes the key's whole lines; a new key is appended as <c>KEY=value</c>.
/// </summary>
internal static class DotenvRewriter
{
    /// <param name="file">The file as read.</param>
    /// <param name="edits">Final value per key (null deletes), in the order keys first appeared in the batch.</param>
    public static byte[] Rewrite(DotenvFile file, IReadOnlyList<KeyValuePair<string, SecretValue?>> edits)
    {
        var content = file.Content.AsSpan();
        var touched = new List<(DotenvEntry Entry, SecretValue? Value)>();
        var appended = new List<KeyValuePair<string, SecretValue?>>();
        foreach (var edit in edits)
        {
            if (file.Find(edit.Key) is { } entry)
                touched.Add((entry, edit.Value));
            else if (edit.Value is not null)
                appended.Add(edit);
        }
        touched.Sort((a, b) => a.Entry.LineStart.CompareTo(b.Entry.LineStart));

        var output = new ArrayBufferWriter<byte>(content.Length + (appended.Count * 48) + 64);
        var pos = 0;
        foreach (var (entry, value) in touched)
        {
            if (value is null)
            {
                output.Write(content[pos..entry.LineStart]);
                pos = entry.SpanEnd;
                continue;
            }
            output.Write(content[pos..entry.ValueStart]);
            DotenvQuoting.Encode(value.Bytes, output);
            pos = entry.ValueEnd;
            // "KEY="x"#note" stays a comment only with a blank before the '#' once the value is unquoted.
            if (pos < entry.ContentEnd && content[pos] is not ((byte)' ' or (byte)'\t'))
                output.Write(" "u8);
        }
        output.Write(content[pos..]);

        if (appended.Count > 0)
        {
            if (output.WrittenCount > 0 && output.WrittenSpan[^1] != '\n')
                output.Write(file.Newline);
            foreach (var (key, value) in appended)
            {
                Encoding.ASCII.GetBytes(key.AsSpan(), output);
                output.Write("="u8);
                DotenvQuoting.Encode(value!.Bytes, output);
                output.Write(file.Newline);
            }
        }

        var written = output.WrittenSpan;
        if (!file.EndsWithNewline && written.Length > 0 && written[^1] == '\n')
            written = written[..^(written.Length > 1 && written[^2] == '\r' ? 2 : 1)];
        return written.ToArray();
    }
}
