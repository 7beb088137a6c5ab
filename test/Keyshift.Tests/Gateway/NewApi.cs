using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keyshift.Tests.Gateway;

/// <summary>
/// The partner's new API on 127.0.0.1: bearer tokens from the real oidc-provider, checked by introspection
/// (RFC 7662). One field is deliberately changed (<c>status: succeeded</c> instead of <c>paid</c>). Can be made
/// to hold every request until released, or to fail.
/// </summary>
public sealed class NewApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _introspection = new();

    private NewApi(WebApplication app) => _app = app;

    public ConcurrentQueue<Dictionary<string, string>> Received { get; } = new();

    /// <summary>The client id the IdP reported for each accepted token.</summary>
    public ConcurrentQueue<string> Clients { get; } = new();

    /// <summary>When set, every request waits for it (a slow new endpoint).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Completes when the first request has arrived.</summary>
    public TaskCompletionSource FirstArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, every request is answered with this status (a failing new endpoint).</summary>
    public int? FailWith { get; set; }

    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public static async Task<NewApi> StartAsync(string oidcUrl, string apiClient, string apiSecret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new NewApi(app);
        api._introspection.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{apiClient}:{apiSecret}")));
        app.Use(async (context, next) =>
        {
            var seen = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            seen[":path"] = context.Request.Path + context.Request.QueryString;
            api.Received.Enqueue(seen);
            api.FirstArrived.TrySetResult();
            if (api.Gate is { } gate)
                await gate.Task;
            if (api.FailWith is { } status)
            {
                context.Response.StatusCode = status;
                return;
            }
            var header = context.Request.Headers.Authorization.ToString();
            var client = header.StartsWith("Bearer ", StringComparison.Ordinal) ? await api.IntrospectAsync(oidcUrl, header[7..]) : null;
            if (client is null)
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsJsonAsync(new { error = "invalid_token" });
                return;
            }
            api.Clients.Enqueue(client);
            await next(context);
        });
        app.MapGet("/v1/charges/{id}", (string id) => Results.Json(LegacyApi.Charge(id, "succeeded")));
        app.MapPost("/v1/charges", () => Results.Json(LegacyApi.Charge("ch_new", "succeeded"), statusCode: 201));
        await app.StartAsync();
        api.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return api;
    }

    private async Task<string?> IntrospectAsync(string oidcUrl, string token)
    {
        using var response = await _introspection.PostAsync(oidcUrl.TrimEnd('/') + "/token/introspection", new FormUrlEncodedContent([new("token", token)]));
        if (!response.IsSuccessStatusCode)
            return null;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("active").GetBoolean() ? json.RootElement.GetProperty("client_id").GetString() : null;
    }

    public async ValueTask DisposeAsync()
    {
        Gate?.TrySetResult();
        await _app.DisposeAsync();
        _introspection.Dispose();
    }
}
