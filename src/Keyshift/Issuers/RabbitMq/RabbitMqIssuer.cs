using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keyshift.Configuration;
using Keyshift.Issuers.Postgres;
using Keyshift.Telemetry;

namespace Keyshift.Issuers.RabbitMq;

/// <summary>
/// RabbitMQ users through the management HTTP API, alternating users: a new user (<c>{account}_ks_{hash of token}</c>)
/// with the old user's tags, vhost permissions and topic permissions; the password is sent as a salted SHA-256
/// hash (<c>rabbit_password_hashing_sha256</c>), never in plain text. Retiring deletes the user and closes its connections.
/// </summary>
public sealed class RabbitMqIssuer(string name, RabbitMqIssuerOptions options, CredentialResolver credentials) : Issuer(name)
{
    public RabbitMqIssuerOptions Options { get; } = options;

    public override string Type => "rabbitmq";

    public override IReadOnlyList<string> Fields => [Credential.Username, Credential.Password];

    public override Endpoint? Endpoint => new(Options.Host, Options.Port, VirtualHost: Options.VirtualHost, Url: Options.Management);

    public static Issuer? Create(IssuerContext context)
    {
        var s = context.Settings;
        s.AllowOnly("type", "url", "host", "port", "vhost", "adminUser", "admin", "timeout", "length", "alphabet");
        var admin = s.Credential("admin");
        if (admin is null && !s.Has("admin"))
            s.Error("admin", "is required: env:NAME, file:PATH or a store address holding the admin user's password");
        var host = s.String("host") ?? "127.0.0.1";
        var url = s.String("url") ?? $"http://{host}:15672";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var management) || management.Scheme is not ("http" or "https"))
        {
            s.Error("url", $"'{url}' is not an http(s) URL of the management API");
            management = new Uri("http://127.0.0.1:15672");
        }
        return new RabbitMqIssuer(context.Name, new RabbitMqIssuerOptions
        {
            Management = management,
            Host = host,
            Port = s.Int("port", 1, 65535) ?? 5672,
            VirtualHost = s.String("vhost") ?? "/",
            AdminUser = s.String("adminUser") ?? "guest",
            Admin = admin ?? new CredentialReference("env", "?"),
            Timeout = s.Duration("timeout") ?? TimeSpan.FromSeconds(10),
            Passwords = PasswordGenerator.FromSettings(s, 32, PasswordGenerator.AlphaNumeric),
        }, context.Credentials);
    }

    public string UserFor(IssueRequest request) => PgQuote.RoleName(request.Account, "_ks_" + request.Token.ShortHash);

    public override async ValueTask<CredentialDescriptor> PrepareAsync(IssueRequest request, CancellationToken cancellationToken)
    {
        const string step = "prepare";
        using var http = await AdminAsync(step, cancellationToken);
        _ = await GetAsync(http, step, $"api/users/{Esc(request.CurrentUsername)}", cancellationToken)
            ?? throw Fail(step, $"user '{request.CurrentUsername}' does not exist at {Options.Management}");
        return CredentialDescriptor.Of(Name, request.Account, UserFor(request), ("token", request.Token.ShortHash), ("source", request.CurrentUsername));
    }

    public override async ValueTask<Credential> IssueAsync(CredentialDescriptor pending, CancellationToken cancellationToken)
    {
        const string step = "issue";
        var source = pending.Detail("source") ?? pending.Account;
        var target = pending.Username;
        using var http = await AdminAsync(step, cancellationToken);
        var user = await GetAsync(http, step, $"api/users/{Esc(source)}", cancellationToken)
            ?? throw Fail(step, $"user '{source}' (the user to clone) does not exist at {Options.Management}");
        var permissions = (await GetAsync(http, step, $"api/users/{Esc(source)}/permissions", cancellationToken))?.AsArray() ?? [];
        var topics = (await GetAsync(http, step, $"api/users/{Esc(source)}/topic-permissions", cancellationToken))?.AsArray() ?? [];
        var password = Options.Passwords.Next();
        var tags = user["tags"] switch
        {
            JsonArray array => string.Join(",", array.Select(t => t!.GetValue<string>())),
            JsonNode node => node.GetValue<string>(),
            null => "",
        };
        try
        {
            // PUT replaces the user: a resumed step resets the password of the user an earlier attempt created.
            await SendAsync(http, step, HttpMethod.Put, $"api/users/{Esc(target)}",
                new JsonObject { ["password_hash"] = PasswordHash(password), ["hashing_algorithm"] = "rabbit_password_hashing_sha256", ["tags"] = tags }, cancellationToken);
            foreach (var p in permissions)
                await SendAsync(http, step, HttpMethod.Put, $"api/permissions/{Esc((string)p!["vhost"]!)}/{Esc(target)}",
                    new JsonObject { ["configure"] = (string?)p["configure"], ["write"] = (string?)p["write"], ["read"] = (string?)p["read"] }, cancellationToken);
            foreach (var t in topics)
                await SendAsync(http, step, HttpMethod.Put, $"api/topic-permissions/{Esc((string)t!["vhost"]!)}/{Esc(target)}",
                    new JsonObject { ["exchange"] = (string?)t["exchange"], ["write"] = (string?)t["write"], ["read"] = (string?)t["read"] }, cancellationToken);
        }
        catch (IssuerException)
        {
            // A user without its permissions is half a credential: remove it so the step leaves nothing behind.
            using var cleanup = await http.DeleteAsync($"api/users/{Esc(target)}", CancellationToken.None);
            throw;
        }
        return Credential.Login(pending, password);
    }

    public override async ValueTask RevokeAsync(Credential credential, CancellationToken cancellationToken)
    {
        const string step = "revoke";
        var user = credential.Descriptor.Username;
        using var http = await AdminAsync(step, cancellationToken);
        if (string.Equals(user, Options.AdminUser, StringComparison.Ordinal))
            throw Fail(step, $"refusing to delete user '{user}': it is the admin user this issuer uses");
        using (var response = await http.DeleteAsync($"api/users/{Esc(user)}", cancellationToken))
        {
            if (response.StatusCode != HttpStatusCode.NotFound && !response.IsSuccessStatusCode)
                throw Fail(step, $"DELETE user '{user}' answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        // Deleting a user ends its sessions in current RabbitMQ versions; close any left explicitly all the same.
        var connections = (await GetAsync(http, step, "api/connections?columns=name,user", cancellationToken))?.AsArray() ?? [];
        foreach (var c in connections.Where(c => (string?)c!["user"] == user))
        {
            using var closed = await http.DeleteAsync($"api/connections/{Esc((string)c!["name"]!)}", cancellationToken);
        }
    }

    public override IReadOnlyList<TelemetrySource> TelemetrySources(TimeProvider time) =>
        [new RabbitMqConnectionsSource($"{Name}/rabbitmq-connections", async ct => await AdminAsync("telemetry", ct), time)];

    internal async Task<HttpClient> AdminAsync(string step, CancellationToken cancellationToken)
    {
        var password = await credentials.ResolveAsync(Options.Admin, $"issuer '{Name}' (rabbitmq): {step}", "admin", cancellationToken);
        var http = new HttpClient { BaseAddress = Options.Management, Timeout = Options.Timeout };
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Options.AdminUser}:{password.RevealUtf8()}"));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
        return http;
    }

    private async Task<JsonNode?> GetAsync(HttpClient http, string step, string path, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(http, step, new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        return await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
    }

    private async Task SendAsync(HttpClient http, string step, HttpMethod method, string path, JsonObject body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        using var response = await CallAsync(http, step, request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw Fail(step, $"{method} {path} answered {(int)response.StatusCode} {response.ReasonPhrase}");
    }

    private async Task<HttpResponseMessage> CallAsync(HttpClient http, string step, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw Fail(step, $"cannot reach the management API at {Options.Management} ({e.Message})", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail(step, $"the management API at {Options.Management} did not answer within {Options.Timeout.TotalSeconds:F0}s", e);
        }
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw Fail(step, $"the management API at {Options.Management} refused the admin credentials for user '{Options.AdminUser}' (401)");
        }
        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            response.Dispose();
            throw Fail(step, $"admin user '{Options.AdminUser}' lacks the administrator tag needed for {request.Method} {request.RequestUri} (403)");
        }
        return response;
    }

    /// <summary>RabbitMQ's <c>rabbit_password_hashing_sha256</c>: base64(salt ‖ SHA-256(salt ‖ password)), 4-byte salt.</summary>
    public static string PasswordHash(Secrets.SecretValue password)
    {
        var salted = new byte[4 + password.Length];
        RandomNumberGenerator.Fill(salted.AsSpan(0, 4));
        password.Bytes.CopyTo(salted.AsSpan(4));
        var hash = SHA256.HashData(salted);
        var result = Convert.ToBase64String([.. salted.AsSpan(0, 4), .. hash]);
        CryptographicOperations.ZeroMemory(salted);
        return result;
    }

    private static string Esc(string segment) => Uri.EscapeDataString(segment);

    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
