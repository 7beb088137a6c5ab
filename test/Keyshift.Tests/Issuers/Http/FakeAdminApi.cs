using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keyshift.Tests.Issuers.Http;

/// <summary>
/// A SaaS-style admin API on 127.0.0.1 (Kestrel): the admin token creates, finds and deletes API keys; a live key
/// authenticates <c>GET /v1/me</c> through <c>X-Api-Key</c>.
/// </summary>
public sealed class FakeAdminApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    public ConcurrentDictionary<string, (string Name, string Owner, string Secret)> Keys { get; } = new();

    public string AdminToken { get; } = "admin-" + Guid.NewGuid().ToString("N");

    public List<string> IdempotencyKeys { get; } = [];

    private FakeAdminApi(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public static async Task<FakeAdminApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new FakeAdminApi(app);
        bool Admin(HttpContext c) => c.Request.Headers.Authorization == $"Bearer {api.AdminToken}";
        app.MapPost("/v1/keys", async (HttpContext c) =>
        {
            if (!Admin(c)) return Results.Unauthorized();
            var body = await c.Request.ReadFromJsonAsync<Dictionary<string, string>>();
            lock (api.IdempotencyKeys) api.IdempotencyKeys.Add(c.Request.Headers["Idempotency-Key"].ToString());
            var id = "key_" + Guid.NewGuid().ToString("N")[..10];
            var secret = "sk_live_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            api.Keys[id] = (body!["name"], body["owner"], secret);
            return Results.Json(new { data = new { id, secret } });
        });
        app.MapGet("/v1/keys", (HttpContext c, string? name) => !Admin(c)
            ? Results.Unauthorized()
            : Results.Json(new { items = api.Keys.Where(k => k.Value.Name == name).Select(k => new { id = k.Key, name = k.Value.Name }) }));
        app.MapDelete("/v1/keys/{id}", (HttpContext c, string id) => !Admin(c) ? Results.Unauthorized() : api.Keys.TryRemove(id, out _) ? Results.NoContent() : Results.NotFound());
        app.MapGet("/v1/me", (HttpContext c) =>
        {
            var presented = c.Request.Headers["X-Api-Key"].ToString();
            var match = api.Keys.FirstOrDefault(k => k.Value.Secret == presented);
            return match.Key is null ? Results.Unauthorized() : Results.Json(new { owner = match.Value.Owner });
        });
        await app.StartAsync();
        api.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return api;
    }

    /// <summary>Creates a key directly (the key in use before Keyshift).</summary>
    public (string Id, string Secret) Seed(string owner)
    {
        var id = "key_" + Guid.NewGuid().ToString("N")[..10];
        var secret = "sk_old_" + Guid.NewGuid().ToString("N");
        Keys[id] = ("seeded", owner, secret);
        return (id, secret);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
