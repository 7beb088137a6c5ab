using System.Text;

namespace Keyshift.Tests.Support;

/// <summary>Unique secret values and every form in which one could leak: raw, base64 (any alignment), hex, URL-encoded.</summary>
public static class Canary
{
    public static string New(string label) => $"canary-{label}-{Guid.NewGuid():N}";

    public static IEnumerable<string> Forms(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        yield return value;
        yield return Convert.ToHexStringLower(bytes);
        yield return Convert.ToHexString(bytes);
        yield return Uri.EscapeDataString(value);
        for (var shift = 0; shift < 3; shift++)
        {
            // The inner characters of the value's base64 at each byte alignment appear in any base64 stream that contains it.
            var padded = new byte[shift + bytes.Length];
            bytes.CopyTo(padded, shift);
            var b64 = Convert.ToBase64String(padded);
            var start = shift == 0 ? 0 : 4;
            yield return b64.Substring(start, b64.Length - start - 4);
        }
    }

    /// <summary>Names each canary form found in <paramref name="haystack"/>; empty when nothing leaked.</summary>
    public static IEnumerable<string> FindIn(string haystack, string where, IEnumerable<string> canaries) =>
        from canary in canaries
        from form in Forms(canary)
        where haystack.Contains(form, StringComparison.Ordinal)
        select $"{where} contains '{canary}' as '{form}'";

    public static IEnumerable<string> FindIn(byte[] haystack, string where, IEnumerable<string> canaries) =>
        FindIn(Encoding.Latin1.GetString(haystack), where, canaries);
}
