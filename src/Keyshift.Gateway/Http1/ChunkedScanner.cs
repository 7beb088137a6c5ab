namespace Keyshift.Gateway.Http1;

/// <summary>
/// Follows a chunked body (RFC 9112 §7.1) as it passes through unchanged: finds where it ends (after the last chunk
/// and any trailer lines) and hands the chunk data — the decoded body — to the capture.
/// </summary>
internal struct ChunkedScanner
{
    private enum State { Size, Extension, SizeLf, Data, DataCr, DataLf, TrailerStart, Trailer, TrailerLf, FinalLf, Done }

    private State _state;
    private long _remaining;
    private int _digits;

    public readonly bool Done => _state == State.Done;

    /// <summary>How many bytes of <paramref name="bytes"/> belong to the body (fewer than all only when it ended).</summary>
    /// <exception cref="InvalidDataException">Not a chunked body.</exception>
    public int Scan(ReadOnlySpan<byte> bytes, CaptureBuffer? capture)
    {
        var i = 0;
        while (i < bytes.Length && _state != State.Done)
        {
            var b = bytes[i];
            switch (_state)
            {
                case State.Size:
                    var hex = HexValue(b);
                    if (hex >= 0)
                    {
                        if (++_digits > 15)
                            throw new InvalidDataException("chunk size too large");
                        _remaining = _remaining * 16 + hex;
                    }
                    else if (_digits == 0)
                    {
                        throw new InvalidDataException("chunk size missing");
                    }
                    else
                    {
                        _state = b switch
                        {
                            (byte)';' or (byte)' ' or (byte)'\t' => State.Extension,
                            (byte)'\r' => State.SizeLf,
                            _ => throw new InvalidDataException("bad chunk size"),
                        };
                    }
                    i++;
                    break;
                case State.Extension:
                    if (b == '\n')
                        throw new InvalidDataException("bare line feed in a chunk extension");
                    if (b == '\r')
                        _state = State.SizeLf;
                    i++;
                    break;
                case State.SizeLf:
                    Expect(b, '\n');
                    i++;
                    _digits = 0;
                    _state = _remaining == 0 ? State.TrailerStart : State.Data;
                    break;
                case State.Data:
                    var n = (int)Math.Min(_remaining, bytes.Length - i);
                    capture?.Add(bytes.Slice(i, n));
                    i += n;
                    _remaining -= n;
                    if (_remaining == 0)
                        _state = State.DataCr;
                    break;
                case State.DataCr:
                    Expect(b, '\r');
                    i++;
                    _state = State.DataLf;
                    break;
                case State.DataLf:
                    Expect(b, '\n');
                    i++;
                    _state = State.Size;
                    break;
                case State.TrailerStart:
                    if (b == '\r')
                    {
                        _state = State.FinalLf;
                        i++;
                    }
                    else
                    {
                        _state = State.Trailer;
                    }
                    break;
                case State.Trailer:
                    if (b == '\r')
                        _state = State.TrailerLf;
                    i++;
                    break;
                case State.TrailerLf:
                    Expect(b, '\n');
                    i++;
                    _state = State.TrailerStart;
                    break;
                case State.FinalLf:
                    Expect(b, '\n');
                    i++;
                    _state = State.Done;
                    break;
            }
        }
        return i;
    }

    private static void Expect(byte b, char expected)
    {
        if (b != expected)
            throw new InvalidDataException("malformed chunked body");
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
