using Keyshift.Secrets;

namespace Keyshift.Stores.Dotenv;

/// <summary>
/// A parsed dotenv file: its bytes exactly as read and every assignment with its position. A rewrite
/// starts from these bytes and replaces only the spans of the keys it touches.
/// </summary>
internal sealed class DotenvFile
{
    private readonly Dictionary<string, DotenvEntry> _index;

    public DotenvFile(string path, byte[] content, IReadOnlyList<DotenvEntry> entries, Dictionary<string, DotenvEntry> index)
    {
        Path = path;
        Content = content;
        Entries = entries;
        _index = index;
        var firstBreak = Array.IndexOf(content, (byte)'\n');
        Newline = firstBreak > 0 && content[firstBreak - 1] == '\r' ? "\r\n"u8.ToArray() : "\n"u8.ToArray();
        EndsWithNewline = content.Length == 0 || content[^1] == '\n';
    }

    public string Path { get; }

    public byte[] Content { get; }

    /// <summary>The assignments in file order.</summary>
    public IReadOnlyList<DotenvEntry> Entries { get; }

    /// <summary>The file's line break (CRLF when its first line ends so, otherwise LF); new lines use it.</summary>
    public byte[] Newline { get; }

    /// <summary>True when the file is empty or ends with a line break; a rewrite keeps this.</summary>
    public bool EndsWithNewline { get; }

    public DotenvEntry? Find(string key) => _index.GetValueOrDefault(key);

    /// <summary>The value of an entry, with quotes removed and escapes of double-quoted values applied.</summary>
    public SecretValue ValueOf(DotenvEntry entry) =>
        DotenvQuoting.Decode(Content.AsSpan(entry.ValueStart, entry.ValueEnd - entry.ValueStart), entry.Quote);

    /// <summary>Where the entry is, as <c>file:line</c>.</summary>
    public string Locate(DotenvEntry entry) => $"{Path}:{entry.Line}";
}
