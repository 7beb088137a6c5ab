using System.Net;
using System.Text;
using Keyshift.Issuers;

namespace Keyshift.Probes;

/// <summary>
/// Removes a credential's secret fields from text that came from elsewhere (driver exceptions, server replies,
/// command output) before it becomes a reason: raw, base64, hex and URL-encoded forms.
/// </summary>
public static class Redaction
{
    public static string Apply(string text, Credential credential)
    {
        foreach (var (name, value) in credential.Fields)
        {
            if (name == Credential.Username || value.Length < 4)
                continue;
            foreach (var form in Forms(value.Bytes))
                text = text.Replace(form, "***", StringComparison.OrdinalIgnoreCase);
        }
        return text;
    }

    private static IEnumerable<string> Forms(ReadOnlySpan<byte> bytes)
    {
        var forms = new List<string> { Convert.ToBase64String(bytes), Convert.ToHexString(bytes) };
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            var text = Encoding.UTF8.GetString(bytes);
            forms.Add(text);
            forms.Add(WebUtility.UrlEncode(text));
            forms.Add(Uri.EscapeDataString(text));
        }
        return forms.Where(f => f.Length >= 4).Distinct().OrderByDescending(f => f.Length);
    }
}
