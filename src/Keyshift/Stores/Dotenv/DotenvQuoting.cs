using System.Buffers;
using Keyshift.Secrets;

namespace Keyshift.Stores.Dotenv;

/// <summary>
/// Turns a value as written into its bytes and back. Writing picks the plainest form that reads back
/// exactly: unquoted when every byte is safe, single quotes when the value has no <c>'</c> and no line
/// break, otherwise double quotes with escapes.
/// </summary>
internal static class DotenvQuoting
{
    /// <summary>Why a value cannot be held, or null when it can (UTF-8 text without NUL).</summary>
    public static string? CannotHold(SecretValue value)
    {
        if (!value.IsUtf8)
            return "the value is not UTF-8 text, which a dotenv file cannot hold";
        if (value.Bytes.Contains((byte)0))
            return "the value contains a NUL byte, which a dotenv file cannot hold";
        return null;
    }

    public static SecretValue Decode(ReadOnlySpan<byte> written, byte quote)
    {
        if (quote == 0)
            return SecretValue.FromBytes(written);
        var inner = written[1..^1];
        if (inner.IndexOfAny((byte)'\\', (byte)'\r') < 0)
            return SecretValue.FromBytes(inner);
        var bytes = new byte[inner.Length];
        var n = 0;
        for (var i = 0; i < inner.Length; i++)
        {
            var b = inner[i];
            // A line break inside a quoted value is read as LF whatever the file's line endings are.
            if (b == '\r' && i + 1 < inner.Length && inner[i + 1] == '\n')
                continue;
            if (b == '\\' && quote == '"' && i + 1 < inner.Length)
            {
                byte? escaped = inner[i + 1] switch
                {
                    (byte)'n' => (byte)'\n',
                    (byte)'t' => (byte)'\t',
                    (byte)'r' => (byte)'\r',
                    (byte)'"' => (byte)'"',
                    (byte)'\\' => (byte)'\\',
                    _ => null,
                };
                if (escaped is { } e)
                {
                    bytes[n++] = e;
                    i++;
                    continue;
                }
            }
            bytes[n++] = b;
        }
        return SecretValue.FromBytes(bytes.AsSpan(0, n));
    }

    /// <summary>Writes the value in the plainest form that reads back to the same bytes.</summary>
    public static void Encode(ReadOnlySpan<byte> value, IBufferWriter<byte> output)
    {
        if (IsPlain(value))
        {
            output.Write(value);
            return;
        }
        if (value.IndexOfAny((byte)'\'', (byte)'\n', (byte)'\r') < 0)
        {
            output.Write("'"u8);
            output.Write(value);
            output.Write("'"u8);
            return;
        }
        output.Write("\""u8);
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var escape = value[i] switch
            {
                (byte)'\n' => "\\n"u8,
                (byte)'\r' => "\\r"u8,
                (byte)'\t' => "\\t"u8,
                (byte)'"' => "\\\""u8,
                (byte)'\\' => "\\\\"u8,
                _ => default,
            };
            if (escape.IsEmpty)
                continue;
            output.Write(value[start..i]);
            output.Write(escape);
            start = i + 1;
        }
        output.Write(value[start..]);
        output.Write("\""u8);
    }

    // Bytes that need no quotes in any common dotenv reader: no blanks, quotes, '#', '$', '\' or backtick.
    private static readonly SearchValues<byte> PlainBytes = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.,:/+=@%~^*!?()[]{}<>|;&"u8);

    private static bool IsPlain(ReadOnlySpan<byte> value) => value.IndexOfAnyExcept(PlainBytes) < 0;
}
