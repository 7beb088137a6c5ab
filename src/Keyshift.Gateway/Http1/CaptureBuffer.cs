namespace Keyshift.Gateway.Http1;

/// <summary>An answer's body kept for a shadow comparison, up to <see cref="Forwarder.CaptureLimit"/>; past it, nothing is kept.</summary>
internal sealed class CaptureBuffer(long expected)
{
    private byte[] _bytes = new byte[expected is >= 0 and <= Forwarder.CaptureLimit ? expected : 4096];
    private int _length;

    /// <summary>False once the body outgrew the limit.</summary>
    public bool Kept { get; private set; } = expected <= Forwarder.CaptureLimit;

    public void Add(ReadOnlySpan<byte> bytes)
    {
        if (!Kept || bytes.IsEmpty)
            return;
        if (_length + bytes.Length > Forwarder.CaptureLimit)
        {
            Kept = false;
            _bytes = [];
            return;
        }
        if (_length + bytes.Length > _bytes.Length)
            Array.Resize(ref _bytes, Math.Min(Forwarder.CaptureLimit, Math.Max(_bytes.Length * 2, _length + bytes.Length)));
        bytes.CopyTo(_bytes.AsSpan(_length));
        _length += bytes.Length;
    }

    public byte[]? ToArray() => !Kept ? null : _length == _bytes.Length ? _bytes : _bytes[.._length];
}
