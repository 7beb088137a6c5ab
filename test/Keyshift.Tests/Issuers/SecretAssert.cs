using System.Net;
using System.Text;
using Keyshift.Secrets;

namespace Keyshift.Tests.Issuers;

/// <summary>Asserts that a secret appears in no form (raw, base64, hex, URL-encoded) in some output.</summary>
public static class SecretAssert
{
    public static void NotIn(string output, SecretValue secret) => NotIn(output, secret.RevealUtf8());

    public static void NotIn(string output, string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        foreach (var form in new[] { secret, Convert.ToBase64String(bytes), Convert.ToHexString(bytes), WebUtility.UrlEncode(secret), Uri.EscapeDataString(secret) })
            output.Contains(form, StringComparison.OrdinalIgnoreCase).ShouldBeFalse($"a secret leaked into: {output}");
    }
}
