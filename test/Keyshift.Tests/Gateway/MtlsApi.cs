using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keyshift.Tests.Gateway;

/// <summary>
/// The partner's new API behind mutual TLS on 127.0.0.1: Kestrel requires a client certificate issued by the test CA
/// and answers with the certificate's subject, so a test can see which consumer's certificate was presented.
/// </summary>
public sealed class MtlsApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MtlsApi(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = new("https://127.0.0.1/");

    /// <summary>Subjects (CN=…) of the client certificates presented, one per request.</summary>
    public ConcurrentQueue<string> Subjects { get; } = new();

    /// <summary>Headers of every request (to check the legacy key never arrives).</summary>
    public ConcurrentQueue<Dictionary<string, string>> Received { get; } = new();

    public static async Task<MtlsApi> StartAsync(TestCa ca)
    {
        var server = ca.Issue("CN=127.0.0.1", server: true);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = server,
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            ClientCertificateValidation = (certificate, _, _) => ca.Signed(certificate),
        })));
        var app = builder.Build();
        var api = new MtlsApi(app);
        app.Use(async (context, next) =>
        {
            api.Received.Enqueue(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            api.Subjects.Enqueue(context.Connection.ClientCertificate?.Subject ?? "none");
            await next(context);
        });
        app.MapGet("/v1/charges/{id}", (string id, HttpContext c) => Results.Json(new { id, status = "succeeded", client = c.Connection.ClientCertificate?.Subject }));
        await app.StartAsync();
        api.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return api;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
