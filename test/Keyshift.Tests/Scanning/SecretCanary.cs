using System.Text;

namespace Keyshift.Tests.Scanning;

/// <summary>Asserts that a secret appears in no form in some output: raw, base64, hex or URL-encoded.</summary>
internal static class SecretCanary
{
    public static void AssertAbsent(string output, string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        foreach (var form in new[] { secret, Convert.ToBase64String(bytes), Convert.ToHexStringLower(bytes), Convert.ToHexString(bytes), Uri.EscapeDataString(secret) })
            output.ShouldNotContain(form, Case.Sensitive);
        // Even a fragment would leak part of the secret; eight characters from its middle are enough to show it.
        output.ShouldNotContain(secret.Substring(secret.Length / 2 - 4, 8), Case.Sensitive);
    }
}
