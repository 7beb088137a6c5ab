namespace Keyshift.Audit;

/// <summary>
/// Streams the lines of the audit log between two offsets through one buffer, so a log of any size is read
/// in constant memory. A line longer than <see cref="MaxLineBytes"/> is skipped and reported as such.
/// </summary>
internal sealed class AuditLineReader
{
    public const int MaxLineBytes = 1 << 20;

    private readonly Stream _stream;
    private readonly long _end;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _count;
    private long _bufferOffset;
    private long _readOffset;

    public AuditLineReader(Stream stream, long from, long end)
    {
        _stream = stream;
        _end = end;
        _bufferOffset = from;
        _readOffset = from;
        stream.Position = from;
    }

    /// <summary>The file offset where the line last returned starts.</summary>
    public long LineStart { get; private set; }

    /// <summary>The file offset just after the line last returned (and its newline).</summary>
    public long Offset => _bufferOffset + _start;

    public AuditLineStatus Read(out ReadOnlySpan<byte> line)
    {
        line = default;
        var scanned = 0;
        var skipping = false;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + scanned, _count - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = scanned + newline;
                LineStart = _bufferOffset + _start;
                if (!skipping)
                    line = _buffer.AsSpan(_start, length);
                _start += length + 1;
                _count -= length + 1;
                return skipping ? AuditLineStatus.TooLong : AuditLineStatus.Line;
            }
            scanned = _count;
            if (_count >= MaxLineBytes)
            {
                // Drop what was seen of an over-long line and keep looking for its end.
                skipping = true;
                _bufferOffset += _start + _count;
                _start = 0;
                _count = 0;
                scanned = 0;
            }
            if (!Fill())
            {
                if (_count == 0 && !skipping)
                    return AuditLineStatus.End;
                LineStart = _bufferOffset + _start;
                line = _buffer.AsSpan(_start, _count);
                _start += _count;
                _count = 0;
                return skipping ? AuditLineStatus.TooLong : AuditLineStatus.Fragment;
            }
        }
    }

    private bool Fill()
    {
        if (_readOffset >= _end)
            return false;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _count);
            _bufferOffset += _start;
            _start = 0;
        }
        if (_count == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2);
        var want = (int)Math.Min(_buffer.Length - _count, _end - _readOffset);
        var read = _stream.Read(_buffer, _count, want);
        if (read == 0)
            return false;
        _count += read;
        _readOffset += read;
        return true;
    }
}
