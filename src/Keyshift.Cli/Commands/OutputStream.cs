using System.Text;

namespace Keyshift.Cli.Commands;

/// <summary>
/// A write-only UTF-8 stream onto the command's output, so a report of hundreds of megabytes is written as it is
/// produced instead of being built in memory (a 790,000-finding scan report once took a 256 MB buffer and a 334 MB
/// string). On the real console it is standard output itself; elsewhere (tests) the bytes are decoded into the writer.
/// </summary>
internal sealed class OutputStream : Stream
{
    private readonly TextWriter _writer;
    private readonly Stream? _stdout;
    private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
    private char[] _chars = new char[4096];

    private OutputStream(TextWriter writer, Stream? stdout)
    {
        _writer = writer;
        _stdout = stdout;
    }

    /// <summary>Opens a stream onto <paramref name="writer"/>; dispose it before writing to the writer again.</summary>
    public static OutputStream Over(TextWriter writer)
    {
        writer.Flush();
        return ReferenceEquals(writer, Console.Out) ? new OutputStream(writer, Console.OpenStandardOutput()) : new OutputStream(writer, null);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_stdout is not null)
        {
            _stdout.Write(buffer);
            return;
        }
        var needed = _decoder.GetCharCount(buffer, flush: false);
        if (needed > _chars.Length)
            _chars = new char[needed];
        var written = _decoder.GetChars(buffer, _chars, flush: false);
        _writer.Write(_chars, 0, written);
    }

    public override void Flush()
    {
        _stdout?.Flush();
        _writer.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Standard output stays open: the command writes its last line after this stream.
            Flush();
        }
        base.Dispose(disposing);
    }
}
