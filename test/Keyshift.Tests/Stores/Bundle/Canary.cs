using System.Text;

namespace Keyshift.Tests.Stores.Bundle;

/// <summary>Checks that a canary value appears nowhere in some output: raw, base64, hex or URL-encoded.</summary>
internal static class Canary
{
    public static void ShouldNotLeakInto(this string canary, byte[] output, string what)
    {
        var text = Encoding.Latin1.GetString(output);
        var bytes = Encoding.UTF8.GetBytes(canary);
        foreach (var form in Forms(canary, bytes))
            text.Contains(form, StringComparison.Ordinal).ShouldBeFalse($"{what} holds the canary as '{form}'");
        output.AsSpan().IndexOf(bytes).ShouldBe(-1, $"{what} holds the canary's raw bytes");
    }

    public static void ShouldNotLeakInto(this string canary, string output, string what) =>
        canary.ShouldNotLeakInto(Encoding.UTF8.GetBytes(output), what);

    private static IEnumerable<string> Forms(string canary, byte[] bytes)
    {
        yield return canary;
        yield return Convert.ToBase64String(bytes).TrimEnd('=');
        yield return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        yield return Convert.ToHexStringLower(bytes);
        yield return Convert.ToHexString(bytes);
        yield return Uri.EscapeDataString(canary);
    }
}
