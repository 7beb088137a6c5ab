using System.Buffers;
using System.Text;

namespace Keyshift.Stores.Yaml;

/// <summary>
/// A YAML file as text plus the node tree parsed from it. The text is the truth: edits splice it
/// (<see cref="YamlEditor"/>), so everything they do not touch stays byte-for-byte.
/// </summary>
internal sealed partial class YamlText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private YamlText(string text, bool hasBom, IReadOnlyList<YamlTextDocument> documents, int indentStep)
    {
        Text = text;
        HasBom = hasBom;
        Documents = documents;
        IndentStep = indentStep;
        var firstBreak = text.IndexOf('\n', StringComparison.Ordinal);
        NewLine = firstBreak > 0 && text[firstBreak - 1] == '\r' ? "\r\n" : "\n";
    }

    public static YamlText Empty { get; } = new("", hasBom: false, [], 2);

    public string Text { get; }

    /// <summary>The file started with a UTF-8 byte order mark, which a rewrite keeps.</summary>
    public bool HasBom { get; }

    public IReadOnlyList<YamlTextDocument> Documents { get; }

    /// <summary>The file's line break (the first one it uses), for inserted lines.</summary>
    public string NewLine { get; }

    /// <summary>How far the file indents a nested block mapping (2 when it has none).</summary>
    public int IndentStep { get; }

    /// <summary>Decodes UTF-8 (with or without a byte order mark) and parses it.</summary>
    public static YamlText FromBytes(ReadOnlySpan<byte> bytes)
    {
        var hasBom = bytes.StartsWith("\uFEFF"u8);
        if (hasBom)
            bytes = bytes[3..];
        var chars = new char[bytes.Length];
        var status = System.Text.Unicode.Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            var before = bytes[..read];
            var line = before.Count((byte)'\n') + 1;
            var column = read - (before.LastIndexOf((byte)'\n') + 1) + 1;
            throw new YamlEditException("the file is not UTF-8 text", line, column);
        }
        return Parse(new string(chars, 0, written), hasBom);
    }

    /// <summary>The bytes of <paramref name="text"/> (this file after edits), with the byte order mark if the file had one.</summary>
    public byte[] ToBytes(string text)
    {
        var body = StrictUtf8.GetBytes(text);
        if (!HasBom)
            return body;
        return [.. "\uFEFF"u8, .. body];
    }
}
