using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keyshift.Configuration;
using Keyshift.Secrets;

namespace Keyshift.Issuers.Http;

/// <summary>
/// A generic issuer for SaaS admin APIs, driven by templates: <c>create</c> makes a key and says where the secret and
/// its id are in the reply, <c>revoke</c> deletes a key by <c>{id}</c>, and the optional <c>find</c> looks a key up by its
/// deterministic <c>{name}</c> (<c>{account}-ks-{token}</c>), so a resumed step revokes the key an earlier attempt made
/// before creating a fresh one. Every create carries <c>Idempotency-Key</c>.
/// </summary>
public sealed class HttpIssuer(string name, HttpIssuerOptions options, CredentialResolver credentials) : Issuer(name)
{
    public HttpIssuerOptions Options { get; } = options;

    public override string Type => "http";

    public override IReadOnlyList<string> Fields => [Credential.Key];

    public override Endpoint? Endpoint => new(Options.Url.Host, Options.Url.Port, Url: Options.Url);

    public static Issuer? Create(IssuerContext context)
    {
        var s = context.Settings;
        s.AllowOnly("type", "url", "admin", "auth", "create", "revoke", "find", "timeout");
        var urlText = s.RequireString("url");
        Uri? url = null;
        if (urlText.Length > 0 && (!Uri.TryCreate(urlText.EndsWith('/') ? urlText : urlText + "/", UriKind.Absolute, out url) || url.Scheme is not ("https" or "http")))
            s.Error("url", $"'{urlText}' is not an http(s) URL");
        else if (url is { Scheme: "http" } && !url.IsLoopback)
            s.Error("url", "plain http is allowed only on loopback; admin credentials would cross the network unencrypted");
        var admin = s.Credential("admin");
        if (admin is null && !s.Has("admin"))
            s.Error("admin", "is required: env:NAME, file:PATH or a store address holding the admin API token");
        var auth = s.String("auth") ?? "bearer";
        if (auth is not ("bearer" or "basic") && !auth.StartsWith("header:", StringComparison.Ordinal))
            s.Error("auth", $"'{auth}' is not bearer, basic or header:NAME");
        var create = HttpCall.Read(s, "create", true, "POST", "key", "id");
        var revoke = HttpCall.Read(s, "revoke", true, "DELETE");
        var find = HttpCall.Read(s, "find", false, "GET", "id");
        if (url is null || admin is null || create is null || revoke is null)
            return null;
        return new HttpIssuer(context.Name, new HttpIssuerOptions
        {
            Url = url, Admin = admin, Auth = auth, Create = create, Revoke = revoke, Find = find, Timeout = s.Duration("timeout") ?? TimeSpan.FromSeconds(30),
        }, context.Credentials);
    }

    public override async ValueTask<CredentialDescriptor> PrepareAsync(IssueRequest request, CancellationToken cancellationToken)
    {
        var pending = CredentialDescriptor.Of(Name, request.Account, request.Account, ("token", request.Token.ShortHash), ("name", $"{request.Account}-ks-{request.Token.ShortHash}"));
        // Looking the name up proves the API is reachable and takes the admin credentials, before anything changes.
        if (Options.Find is not null)
        {
            using var http = await AdminAsync("prepare", cancellationToken);
            await FindAsync(http, "prepare", pending, cancellationToken);
        }
        return pending;
    }

    public override async ValueTask<Credential> IssueAsync(CredentialDescriptor pending, CancellationToken cancellationToken)
    {
        const string step = "issue";
        using var http = await AdminAsync(step, cancellationToken);
        if (Options.Find is not null && await FindAsync(http, step, pending, cancellationToken) is { } earlier)
            await RevokeIdAsync(http, step, pending, earlier, cancellationToken);
        var values = Values(pending);
        var request = new HttpRequestMessage(Options.Create.Method, HttpTemplate.Path(Options.Create.Path, values).TrimStart('/'));
        if (Options.Create.Body is { } body)
            request.Content = new StringContent(HttpTemplate.Json(body, values), Encoding.UTF8, "application/json");
        request.Headers.Add("Idempotency-Key", $"keyshift-{pending.Detail("token")}");
        var reply = await SendAsync(http, step, request, cancellationToken)
            ?? throw Fail(step, $"{Options.Create.Method} {Options.Create.Path} answered 404");
        var key = JsonPathLite.Select(reply, Options.Create.Key!);
        var id = JsonPathLite.Select(reply, Options.Create.Id!);
        if (key is not JsonValue || id is not JsonValue)
        {
            // The key exists at the API now; without its id it cannot be revoked, so say exactly what is missing.
            throw Fail(step, $"the create reply has no {(key is not JsonValue ? $"key at {Options.Create.Key}" : "")}{(key is not JsonValue && id is not JsonValue ? " and no " : "")}{(id is not JsonValue ? $"id at {Options.Create.Id}" : "")}", changedNothing: false);
        }
        return new Credential(pending.With("id", id.ToString()), new Dictionary<string, SecretValue>(StringComparer.Ordinal) { [Credential.Key] = SecretValue.FromUtf8(key.ToString()) });
    }

    public override async ValueTask RevokeAsync(Credential credential, CancellationToken cancellationToken)
    {
        const string step = "revoke";
        var id = credential.Descriptor.Detail("id") ?? throw Fail(step, $"the key of '{credential.Descriptor.Account}' has no id to revoke");
        using var http = await AdminAsync(step, cancellationToken);
        await RevokeIdAsync(http, step, credential.Descriptor, id, cancellationToken);
    }

    /// <summary>For the key in use today, <paramref name="username"/> is its id at the API (what <c>revoke</c> fills into <c>{id}</c>).</summary>
    public override CredentialDescriptor Describe(string account, string username) => CredentialDescriptor.Of(Name, account, username, ("id", username));

    private async Task RevokeIdAsync(HttpClient http, string step, CredentialDescriptor descriptor, string id, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(Values(descriptor), StringComparer.Ordinal) { ["id"] = id };
        var request = new HttpRequestMessage(Options.Revoke.Method, HttpTemplate.Path(Options.Revoke.Path, values).TrimStart('/'));
        if (Options.Revoke.Body is { } body)
            request.Content = new StringContent(HttpTemplate.Json(body, values), Encoding.UTF8, "application/json");
        _ = await SendAsync(http, step, request, cancellationToken); // 404: already gone
    }

    private async Task<string?> FindAsync(HttpClient http, string step, CredentialDescriptor pending, CancellationToken cancellationToken)
    {
        var find = Options.Find!;
        var request = new HttpRequestMessage(find.Method, HttpTemplate.Path(find.Path, Values(pending)).TrimStart('/'));
        var reply = await SendAsync(http, step, request, cancellationToken);
        return JsonPathLite.Select(reply, find.Id!) is JsonValue id ? id.ToString() : null;
    }

    private static Dictionary<string, string> Values(CredentialDescriptor d) => new(StringComparer.Ordinal)
    {
        ["account"] = d.Account,
        ["name"] = d.Detail("name") ?? d.Account,
        ["token"] = d.Detail("token") ?? "",
    };

    private async Task<HttpClient> AdminAsync(string step, CancellationToken cancellationToken)
    {
        var secret = await credentials.ResolveAsync(Options.Admin, $"issuer '{Name}' (http): {step}", "admin", cancellationToken);
        var http = new HttpClient { BaseAddress = Options.Url, Timeout = Options.Timeout };
        var text = secret.RevealUtf8();
        if (Options.Auth == "bearer")
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", text);
        else if (Options.Auth == "basic")
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));
        else
            http.DefaultRequestHeaders.TryAddWithoutValidation(Options.Auth["header:".Length..], text);
        return http;
    }

    /// <summary>The reply's JSON (null for 404 or an empty body); a clear failure for anything but 2xx.</summary>
    private async Task<JsonNode?> SendAsync(HttpClient http, string step, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var what = $"{request.Method} {request.RequestUri}";
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw Fail(step, $"cannot reach {Options.Url} ({e.Message})", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail(step, $"{what} did not answer within {Options.Timeout.TotalSeconds:F0}s", e);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw Fail(step, $"{what}: the API refused the admin credentials ({(int)response.StatusCode})");
            if (response.StatusCode == HttpStatusCode.NotFound)
                return null;
            if (!response.IsSuccessStatusCode)
                throw Fail(step, $"{what} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            try
            {
                return text.Length == 0 ? null : JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                throw Fail(step, $"{what} answered with a body that is not JSON", changedNothing: request.Method == HttpMethod.Get);
            }
        }
    }
}
