using System.Buffers.Binary;
using System.Text;
using Keyshift.Secrets;

namespace Keyshift.Stores.Bundle;

/// <summary>
/// The length-prefixed binary encoding of a bundle's entries, sorted by key (ordinal):
/// <c>u32 count</c>, then per entry <c>u16 key length, key UTF-8, i64 created (Unix ms), u16 source
/// length, source UTF-8, u32 value length, value</c>; integers big-endian. Sizes are computed first so
/// the plaintext is one exact buffer the caller can wipe, never a growing stream leaving copies behind.
/// </summary>
internal static class BundlePlaintext
{
    public static byte[] Encode(IReadOnlyDictionary<string, BundleEntry> entries)
    {
        var keys = entries.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        long size = 4;
        foreach (var key in keys)
        {
            var entry = entries[key];
            size += 2 + Utf8Length(key, ushort.MaxValue, "key") + 8 + 2 + Utf8Length(entry.Source ?? "", ushort.MaxValue, "source") + 4 + entry.Value.Length;
        }
        var buffer = new byte[checked((int)size)];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)keys.Length);
        var at = 4;
        foreach (var key in keys)
        {
            var entry = entries[key];
            at = WriteText(span, at, key);
            BinaryPrimitives.WriteInt64BigEndian(span[at..], entry.Created.ToUnixTimeMilliseconds());
            at += 8;
            at = WriteText(span, at, entry.Source ?? "");
            BinaryPrimitives.WriteUInt32BigEndian(span[at..], (uint)entry.Value.Length);
            at += 4;
            entry.Value.Bytes.CopyTo(span[at..]);
            at += entry.Value.Length;
        }
        return buffer;
    }

    /// <summary>The entries, or null when the bytes do not follow the encoding.</summary>
    public static Dictionary<string, BundleEntry>? TryDecode(ReadOnlySpan<byte> plaintext)
    {
        if (plaintext.Length < 4)
            return null;
        var count = BinaryPrimitives.ReadUInt32BigEndian(plaintext);
        // Each entry takes at least 16 bytes, which bounds the count before anything is allocated.
        if (count > (plaintext.Length - 4) / 16)
            return null;
        var entries = new Dictionary<string, BundleEntry>((int)count, StringComparer.Ordinal);
        var at = 4;
        for (var i = 0; i < count; i++)
        {
            if (!TryReadText(plaintext, ref at, out var key) || key.Length == 0 || plaintext.Length - at < 8)
                return null;
            var millis = BinaryPrimitives.ReadInt64BigEndian(plaintext[at..]);
            at += 8;
            if (!TryReadText(plaintext, ref at, out var source) || plaintext.Length - at < 4)
                return null;
            var length = BinaryPrimitives.ReadUInt32BigEndian(plaintext[at..]);
            at += 4;
            if (length > plaintext.Length - at || millis < -62135596800000 || millis > 253402300799999)
                return null;
            var value = SecretValue.FromBytes(plaintext.Slice(at, (int)length));
            at += (int)length;
            if (!entries.TryAdd(key, new BundleEntry(value, DateTimeOffset.FromUnixTimeMilliseconds(millis), source.Length == 0 ? null : source)))
                return null;
        }
        return at == plaintext.Length ? entries : null;
    }

    private static int Utf8Length(string text, int max, string what)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        if (length > max)
            throw new ArgumentException($"a bundle entry {what} has {length} bytes; at most {max} fit");
        return length;
    }

    private static int WriteText(Span<byte> span, int at, string text)
    {
        var written = Encoding.UTF8.GetBytes(text, span[(at + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)written);
        return at + 2 + written;
    }

    private static bool TryReadText(ReadOnlySpan<byte> span, ref int at, out string text)
    {
        text = "";
        if (span.Length - at < 2)
            return false;
        var length = BinaryPrimitives.ReadUInt16BigEndian(span[at..]);
        at += 2;
        if (length > span.Length - at)
            return false;
        text = Encoding.UTF8.GetString(span.Slice(at, length));
        at += length;
        return true;
    }
}
