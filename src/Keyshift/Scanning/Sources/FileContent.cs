using System.Buffers;
using System.Text.Unicode;

namespace Keyshift.Scanning.Sources;

/// <summary>
/// Reads one file at a time into buffers reused across files and decodes it to UTF-16 for the rules, so
/// scanning a tree allocates per file, not per line.
/// </summary>
internal sealed class FileContent : IDisposable
{
    private const int BinaryProbe = 8 * 1024;

    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private char[] _chars = ArrayPool<char>.Shared.Rent(64 * 1024);

    /// <summary>Reads and decodes <paramref name="path"/>; on failure returns false with the reason it was skipped.</summary>
    public bool TryRead(string path, long maxBytes, out ReadOnlySpan<char> text, out string? reason, out string? note)
    {
        text = default;
        note = null;
        int length;
        try
        {
            // Pipes, sockets and devices look like empty files; opening a pipe would block until a writer comes.
            var info = new FileInfo(path);
            if (info.Exists && info.Length == 0 && SpecialFile.KindOf(path) is { } kind)
            {
                reason = $"{kind}: not a regular file";
                return false;
            }
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var size = RandomAccess.GetLength(handle);
            if (size > maxBytes)
            {
                reason = $"larger than the {maxBytes / (1024 * 1024)} MB limit ({size / (1024 * 1024)} MB)";
                return false;
            }
            Grow(ref _bytes, (int)size);
            length = 0;
            int read;
            // The file may grow while we read it; never read past the limit.
            while (length < _bytes.Length && (read = RandomAccess.Read(handle, _bytes.AsSpan(length), length)) > 0)
                length += read;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"unreadable: {e.GetType().Name.Replace("Exception", "", StringComparison.Ordinal)}";
            return false;
        }
        return Decode(_bytes.AsSpan(0, length), out text, out reason, out note);
    }

    /// <summary>Decodes bytes already in memory (a git blob) with the same checks as a file.</summary>
    public bool Decode(ReadOnlySpan<byte> bytes, out ReadOnlySpan<char> text, out string? reason, out string? note)
    {
        text = default;
        note = null;
        if (bytes[..Math.Min(bytes.Length, BinaryProbe)].Contains((byte)0))
        {
            reason = "binary (NUL byte in the first 8 KB)";
            return false;
        }
        if (bytes.StartsWith("\uFEFF"u8))
            bytes = bytes[3..];
        if (!Utf8.IsValid(bytes))
            note = "invalid UTF-8: scanned with replacement characters";
        Grow(ref _chars, bytes.Length);
        Utf8.ToUtf16(bytes, _chars, out _, out var written, replaceInvalidSequences: true);
        text = _chars.AsSpan(0, written);
        reason = null;
        return true;
    }

    private static void Grow<T>(ref T[] buffer, int size)
    {
        if (buffer.Length >= size && size > 0)
            return;
        ArrayPool<T>.Shared.Return(buffer);
        buffer = ArrayPool<T>.Shared.Rent(Math.Max(size, 1));
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_bytes);
        ArrayPool<char>.Shared.Return(_chars);
        _bytes = [];
        _chars = [];
    }
}
