using System.Text.Encodings.Web;
using System.Text.Json;

namespace Keyshift.Issuers.Http;

/// <summary>
/// Fills <c>{account}</c>, <c>{name}</c>, <c>{token}</c> and <c>{id}</c> in a template: URL-escaped in paths,
/// JSON-string-escaped in bodies, so a value can never change the shape of the request.
/// </summary>
public static class HttpTemplate
{
    public static string Path(string template, IReadOnlyDictionary<string, string> values) => Fill(template, values, Uri.EscapeDataString);

    public static string Json(string template, IReadOnlyDictionary<string, string> values) =>
        Fill(template, values, v => JsonSerializer.Serialize(v, new JsonSerializerOptions { Encoder = JavaScriptEncoder.Default })[1..^1]);

    private static string Fill(string template, IReadOnlyDictionary<string, string> values, Func<string, string> escape)
    {
        var result = template;
        foreach (var (key, value) in values)
            result = result.Replace("{" + key + "}", escape(value), StringComparison.Ordinal);
        return result;
    }
}
