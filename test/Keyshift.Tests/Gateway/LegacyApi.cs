using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keyshift.Tests.Gateway;

/// <summary>
/// A partner's legacy API on 127.0.0.1: static API keys in <c>X-API-Key</c>; every answer carries a fresh
/// <c>requestId</c> (noise the gateway must learn). Records the headers of every request it receives.
/// </summary>
public sealed class LegacyApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly Func<IReadOnlyDictionary<string, string>> _keys;

    private LegacyApi(WebApplication app, Func<IReadOnlyDictionary<string, string>> keys)
    {
        _app = app;
        _keys = keys;
    }

    /// <summary>Live keys: value → consumer.</summary>
    public IReadOnlyDictionary<string, string> Keys => _keys();

    public ConcurrentQueue<Dictionary<string, string>> Received { get; } = new();

    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public static Task<LegacyApi> StartAsync(IReadOnlyDictionary<string, string> keys) => StartAsync(() => keys);

    /// <summary>
    /// A legacy API whose valid keys are whatever the dotenv file holds at each request (key value → variable name),
    /// the way a partner's API reads its key table: deleting a key from the store really makes it refuse that key.
    /// </summary>
    public static Task<LegacyApi> StartReadingStoreAsync(string dotenvPath) => StartAsync(() => File.ReadAllLines(dotenvPath)
        .Select(l => l.Split('=', 2)).Where(p => p.Length == 2 && p[0].StartsWith("PARTNER_KEY_", StringComparison.Ordinal))
        .ToDictionary(p => p[1], p => p[0], StringComparer.Ordinal));

    public static async Task<LegacyApi> StartAsync(Func<IReadOnlyDictionary<string, string>> keys)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new LegacyApi(app, keys);
        app.Use(async (context, next) =>
        {
            var seen = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            seen[":path"] = context.Request.Path + context.Request.QueryString;
            api.Received.Enqueue(seen);
            var key = context.Request.Query.TryGetValue("api_key", out var q) ? q.ToString() : context.Request.Headers["X-API-Key"].ToString();
            if (!api.Keys.ContainsKey(key))
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsJsonAsync(new { error = "invalid api key" });
                return;
            }
            await next(context);
        });
        app.MapGet("/v1/charges/{id}", (string id) => Results.Json(Charge(id, "paid")));
        app.MapPost("/v1/charges", () => Results.Json(Charge("ch_new", "paid"), statusCode: 201));
        await app.StartAsync();
        api.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return api;
    }

    public static object Charge(string id, string status) => new
    {
        id,
        amount = 1200,
        currency = "eur",
        status,
        requestId = Guid.NewGuid().ToString("N"),
        items = new[] { new { sku = "plan-basic", quantity = 1 } },
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
