using System.Globalization;
using System.Text;

namespace Keyshift.Gateway.Http1;

/// <summary>Builds a message head as bytes, reused from request to request on one connection.</summary>
internal sealed class HeadWriter
{
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();
    private static DateLine _date = new(-1, []);

    private byte[] _bytes = new byte[1024];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => _bytes.AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

    public HeadWriter Clear()
    {
        Length = 0;
        return this;
    }

    public HeadWriter Append(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_bytes.AsSpan(Length));
        Length += bytes.Length;
        return this;
    }

    /// <summary>Appends text of single-byte characters (what HTTP heads carry; anything else was refused before).</summary>
    public HeadWriter Append(string text)
    {
        Reserve(text.Length);
        Length += Encoding.Latin1.GetBytes(text, _bytes.AsSpan(Length));
        return this;
    }

    public HeadWriter Line() => Append(LineEnd);

    public HeadWriter Header(string name, string value) => Append(name).Append(": "u8).Append(value).Line();

    public HeadWriter Number(long value)
    {
        Reserve(20);
        value.TryFormat(_bytes.AsSpan(Length), out var written, provider: CultureInfo.InvariantCulture);
        Length += written;
        return this;
    }

    /// <summary>A <c>Date</c> header line for now, made once a second.</summary>
    public HeadWriter Date(TimeProvider time)
    {
        var second = Environment.TickCount64 / 1000;
        var date = _date;
        if (date.Second != second)
            _date = date = new DateLine(second, Encoding.ASCII.GetBytes("Date: " + time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture) + "\r\n"));
        return Append(date.Line);
    }

    private sealed record DateLine(long Second, byte[] Line);

    private void Reserve(int more)
    {
        if (Length + more > _bytes.Length)
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + more));
    }
}
