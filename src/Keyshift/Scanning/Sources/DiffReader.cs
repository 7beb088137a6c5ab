using System.Globalization;
using System.Text;

namespace Keyshift.Scanning.Sources;

/// <summary>
/// Reads a unified diff with no context (<c>git log -p -U0</c>, <c>git diff --cached -U0</c>) line by line
/// and hands over each hunk's added lines with the file line they start at. Only one hunk is held in memory
/// at a time (split when it exceeds the size limit), so memory does not grow with the length of history.
/// </summary>
internal sealed class DiffReader(TextReader reader, int maxHunkChars)
{
    public const string CommitMarker = "\u0001commit ";

    private readonly StringBuilder _hunk = new();
    private string? _commit;
    private string? _path;
    private int _firstLine;
    private int _oldLeft;
    private int _newLeft;
    private int _added;
    private bool _done;

    public string? Commit { get; private set; }

    public string Path { get; private set; } = "";

    public int FirstLine { get; private set; }

    /// <summary>The added lines of the current block, each ending in a newline; valid until the next call.</summary>
    public StringBuilder Added { get; } = new();

    /// <summary>Moves to the next block of added lines; false at the end of the diff.</summary>
    public bool Next()
    {
        while (!_done)
        {
            var line = reader.ReadLine();
            if (line is null)
            {
                _done = true;
                return Flush();
            }
            if (_oldLeft > 0 || _newLeft > 0)
            {
                if (InHunk(line))
                    return true;
                continue;
            }
            if (Header(line))
                return true;
        }
        return false;
    }

    private bool InHunk(string line)
    {
        if (line.StartsWith('+') && _newLeft > 0)
        {
            _newLeft--;
            _hunk.Append(line, 1, line.Length - 1).Append('\n');
            _added++;
            if (_hunk.Length > maxHunkChars)
            {
                var flushed = Flush();
                _firstLine += _added;
                _added = 0;
                return flushed;
            }
        }
        else if (line.StartsWith('-') && _oldLeft > 0)
        {
            _oldLeft--;
        }
        else if (!line.StartsWith('\\'))
        {
            // A malformed hunk: resynchronise on headers.
            _oldLeft = _newLeft = 0;
            var flushed = Flush();
            return Header(line) | flushed;
        }
        return _oldLeft == 0 && _newLeft == 0 && Flush();
    }

    /// <summary>Handles a header line; true when it completed a block (never, as hunks end by count).</summary>
    private bool Header(string line)
    {
        if (line.StartsWith(CommitMarker, StringComparison.Ordinal))
            _commit = line[CommitMarker.Length..].Trim();
        else if (line.StartsWith("diff --git ", StringComparison.Ordinal))
            _path = null;
        else if (line.StartsWith("+++ ", StringComparison.Ordinal))
            _path = NewPath(line[4..]);
        else if (line.StartsWith("@@ ", StringComparison.Ordinal) && _path is not null && TryParseHunk(line, out var oldCount, out var start, out var newCount))
            (_oldLeft, _firstLine, _newLeft, _added) = (oldCount, start, newCount, 0);
        return false;
    }

    private bool Flush()
    {
        if (_hunk.Length == 0 || _path is null)
        {
            _hunk.Clear();
            return false;
        }
        Added.Clear().Append(_hunk);
        _hunk.Clear();
        (Commit, Path, FirstLine) = (_commit, _path, _firstLine);
        return true;
    }

    private static string? NewPath(string text)
    {
        text = text.TrimEnd('\t');
        if (text == "/dev/null")
            return null;
        if (text.StartsWith('"'))
            text = Unquote(text);
        return text.StartsWith("b/", StringComparison.Ordinal) ? text[2..] : text;
    }

    // git quotes paths with unusual characters C-style: "b/caf\303\251 \"x\".env"
    private static string Unquote(string text)
    {
        var bytes = new List<byte>();
        for (var i = 1; i < text.Length - 1; i++)
        {
            var c = text[i];
            if (c != '\\' || i + 1 >= text.Length - 1)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                continue;
            }
            var n = text[++i];
            if (n is >= '0' and <= '7' && i + 2 < text.Length)
            {
                bytes.Add((byte)Convert.ToInt32(text.Substring(i, 3), 8));
                i += 2;
                continue;
            }
            bytes.Add(n switch { 'n' => (byte)'\n', 't' => (byte)'\t', 'r' => (byte)'\r', 'a' => 7, 'b' => 8, 'f' => 12, 'v' => 11, _ => (byte)n });
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Parses <c>@@ -a[,b] +c[,d] @@</c>.</summary>
    private static bool TryParseHunk(string header, out int oldCount, out int newStart, out int newCount)
    {
        oldCount = newStart = newCount = 0;
        var parts = header.Split(' ', 4);
        if (parts.Length < 3 || !parts[1].StartsWith('-') || !parts[2].StartsWith('+'))
            return false;
        return TryRange(parts[1][1..], out _, out oldCount) && TryRange(parts[2][1..], out newStart, out newCount);
    }

    private static bool TryRange(string text, out int start, out int count)
    {
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        count = 1;
        if (comma < 0)
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out start);
        return int.TryParse(text.AsSpan(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out start)
            && int.TryParse(text.AsSpan(comma + 1), NumberStyles.None, CultureInfo.InvariantCulture, out count);
    }
}
