using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Keyshift.Issuers;

namespace Keyshift.Probes;

/// <summary>
/// An HTTP request authenticated with the credential: <c>bearer</c> (the key or password), <c>basic</c> (username and
/// password), <c>header:NAME</c> or <c>query:NAME</c> (an API key in the URL, never shown in reasons). 401/403 mean refused; <c>status</c> (default any 2xx) means success; anything else failed.
/// </summary>
public sealed class HttpProbe(string name, Uri url, string method, string auth, int? status, TimeSpan timeout) : Probe(name)
{
    public override string Type => "http";

    public static Probe Create(ProbeContext context)
    {
        var s = context.Settings;
        s.AllowOnly("type", "url", "path", "method", "auth", "status", "timeout", "expect");
        Uri? url = null;
        if (s.String("url") is { } text)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https"))
                s.Error("url", $"'{text}' is not an http(s) URL");
        }
        else if (context.Issuer?.Endpoint?.Url is { } baseUrl)
        {
            url = new Uri(baseUrl, (s.String("path") ?? "").TrimStart('/'));
        }
        else
        {
            s.Error("url", "is required (the issuer gives no default URL)");
        }
        var auth = s.String("auth") ?? "bearer";
        if (auth is not ("bearer" or "basic") && !auth.StartsWith("header:", StringComparison.Ordinal) && !auth.StartsWith("query:", StringComparison.Ordinal))
            s.Error("auth", $"'{auth}' is not bearer, basic, header:NAME or query:NAME");
        return new HttpProbe(context.Name, url ?? new Uri("http://127.0.0.1/"), s.String("method") ?? "GET", auth, s.Int("status", 100, 599), context.Timeout);
    }

    protected override async ValueTask<(ProbeOutcome, string)> CheckAsync(Credential credential, CancellationToken cancellationToken)
    {
        var where = $"{method} {url}";
        using var http = new HttpClient { Timeout = timeout };
        var secret = (credential.Field(Credential.Key) ?? credential.Field(Credential.Password))?.RevealUtf8()
            ?? throw new ArgumentException("the credential has neither a 'key' nor a 'password' field");
        using var request = new HttpRequestMessage(new HttpMethod(method), auth.StartsWith("query:", StringComparison.Ordinal) ? WithQuery(url, auth["query:".Length..], secret) : url);
        if (auth == "bearer")
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        else if (auth == "basic")
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Require(credential, Credential.Username)}:{secret}")));
        else if (auth.StartsWith("header:", StringComparison.Ordinal))
            request.Headers.TryAddWithoutValidation(auth["header:".Length..], secret);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var code = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                return (ProbeOutcome.Refused, $"{where}: refused ({code})");
            var ok = status is { } expected ? code == expected : response.IsSuccessStatusCode;
            return ok ? (ProbeOutcome.Succeeded, $"{where}: {code}") : (ProbeOutcome.Failed, $"{where}: {code}, expected {(status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "2xx")}");
        }
        catch (HttpRequestException e)
        {
            return (ProbeOutcome.Unreachable, $"{where}: cannot reach the server ({e.Message})");
        }
    }

    private static Uri WithQuery(Uri url, string name, string value)
    {
        var query = url.Query.Length > 1 ? url.Query[1..] + "&" : "";
        return new UriBuilder(url) { Query = $"{query}{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}" }.Uri;
    }
}
