using System.Net;
using System.Security.Cryptography.X509Certificates;
using Keyshift.Apis.Integrations;
using Keyshift.Audit;
using Keyshift.Configuration;
using Keyshift.Execution;
using Keyshift.Issuers;
using Keyshift.Secrets;
using Keyshift.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keyshift.Gateway;

/// <summary>
/// A running gateway: the proxy listener, the admin listener (<c>/metrics</c>, <c>/healthz</c>), the shadow
/// workers and the periodic ledger flush into the workspace's state database.
/// </summary>
internal sealed partial class GatewayServer : IAsyncDisposable
{
    private readonly Migration _migration;
    private readonly WebApplication _proxy;
    private readonly WebApplication _admin;
    private readonly UsageLedger _ledger;
    private readonly ShadowQueue _shadow;
    private readonly HttpMessageInvoker _http;
    private readonly ILogger _logger;
    private readonly Lock _db = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _flushLoop = Task.CompletedTask;
    private bool _stopped;
    private bool _disposed;
    private ClientCertificates? _certificates;
    private X509Certificate2? _listenerCertificate;
    private ITimer? _heartbeat;

    private static readonly TimeSpan HeartbeatPeriod = TimeSpan.FromMilliseconds(250);
    private DateTimeOffset _started;
    private TimeSpan _flushInterval;
    private readonly Dictionary<string, long> _coverage = new(StringComparer.Ordinal);

    private GatewayServer(Migration migration, WebApplication proxy, WebApplication admin, UsageLedger ledger, ShadowQueue shadow,
        HttpMessageInvoker http, GatewayMetrics metrics, IReadOnlyList<IntegrationRuntime> integrations, ILogger logger)
    {
        (_migration, _proxy, _admin, _ledger, _shadow, _http, _logger) = (migration, proxy, admin, ledger, shadow, http, logger);
        Metrics = metrics;
        Integrations = integrations;
    }

    public Uri ProxyUrl { get; private set; } = new("http://127.0.0.1/");

    public Uri AdminUrl { get; private set; } = new("http://127.0.0.1/");

    public GatewayMetrics Metrics { get; }

    public IReadOnlyList<IntegrationRuntime> Integrations { get; }

    /// <summary>Resolves every consumer's credentials, builds the listeners and starts serving.</summary>
    public static async Task<GatewayServer> StartAsync(Migration migration, IntegrationSet set, ILoggerFactory? loggers, CancellationToken cancellationToken)
    {
        if (set.Integrations.Count == 0)
            throw new BadInputException(null, "integrations", $"{migration.Workspace.ConfigPath} declares no integrations: nothing for the gateway to serve");
        var logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("Keyshift.Gateway");
        var settings = set.Gateway;
        var http = Forwarder.CreateInvoker();
        var certificates = new ClientCertificates();
        List<IntegrationRuntime> integrations;
        X509Certificate2? listenerCertificate;
        try
        {
            integrations = await BuildIntegrationsAsync(migration, set, http, certificates, logger, cancellationToken);
            listenerCertificate = await ListenerCertificateAsync(migration, settings, cancellationToken);
        }
        catch
        {
            certificates.Dispose();
            http.Dispose();
            throw;
        }
        // Only now, with every credential readable, does the workspace get its .keyshift/ (bad input changes nothing).
        migration.Persist();
        UsageRecord.EnsureTable(migration.Db);
        RestoreRollbacks(migration, integrations, logger);
        var forwarder = new Forwarder(http, settings.Timeout);
        var ledger = new UsageLedger(migration.Time);
        var metrics = new GatewayMetrics();
        GatewayServer? server = null;
        var judge = new ShiftJudge(metrics, (integration, trip) => server!.RecordRollback(integration, trip), logger);
        var shadow = new ShadowQueue(settings.ShadowQueue, forwarder, ledger, metrics, judge, logger);
        var proxyHandler = new GatewayProxy(integrations, forwarder, ledger, metrics, shadow, migration.Time, judge, logger);
        var lane = new Http1.Http1Lane(proxyHandler, integrations, settings.Timeout, migration.Time, listenerCertificate is null ? "http" : "https");
        var proxy = Build(settings.Listen, settings.Protocols switch
        {
            "http1" => HttpProtocols.Http1,
            "http2" => HttpProtocols.Http2,
            _ => HttpProtocols.Http1AndHttp2,
        }, settings.Protocols == "http2" ? null : lane, listenerCertificate);
        proxy.Run(proxyHandler.HandleAsync);
        var admin = Build(settings.Admin, HttpProtocols.Http1, null, null);
        admin.MapGet("/metrics", (HttpContext c) => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        admin.MapGet("/healthz", () => Results.Json(new { status = "ok", integrations = integrations.Select(i => new { name = i.Name, mode = i.Config.Mode.ToString().ToLowerInvariant(), rolledBack = i.Guard.RolledBack }) }));
        server = new GatewayServer(migration, proxy, admin, ledger, shadow, http, metrics, integrations, logger)
        {
            _certificates = certificates,
            _listenerCertificate = listenerCertificate,
            _started = migration.Time.GetUtcNow(),
            _flushInterval = settings.FlushInterval,
        };
        await proxy.StartAsync(cancellationToken);
        await admin.StartAsync(cancellationToken);
        server.ProxyUrl = Address(proxy);
        server.AdminUrl = Address(admin);
        server._flushLoop = server.FlushLoopAsync(settings.FlushInterval);
        // One heartbeat keeps every timeout of the fast lane and the raw upstream connections, instead of a timer per
        // request (as Kestrel does for its own): idle clients past keep-alive, upstream answers past gateway.timeout.
        // Real time, like every network timeout, whatever clock the workspace runs on.
        server._heartbeat = TimeProvider.System.CreateTimer(_ =>
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            lane.Expire(now);
            foreach (var integration in integrations)
                integration.Expire(now);
        }, null, HeartbeatPeriod, HeartbeatPeriod);
        Log.Listening(logger, server.ProxyUrl.ToString(), server.AdminUrl.ToString());
        return server;
    }

    /// <summary>
    /// Writes the ledger counted so far to the state database, then extends this run's coverage (one row per integration
    /// and run) up to the moment before the counts were taken: the ledger is complete from the start up to there, which
    /// is what the quiet-window gate of a legacy key's retirement needs. A failed flush extends nothing. While the gateway
    /// runs, the row's MaxGap (the flush interval) lets the gate count the unflushed tail; the final flush at shutdown sets
    /// it to zero, so a stopped gateway covers exactly up to its stop.
    /// </summary>
    public int Flush() => Flush(final: false);

    private int Flush(bool final)
    {
        lock (_db)
        {
            var now = _migration.Time.GetUtcNow();
            var written = _ledger.Flush(_migration.Db);
            ExtendCoverage(now, final ? TimeSpan.Zero : _flushInterval);
            return written;
        }
    }

    private void ExtendCoverage(DateTimeOffset to, TimeSpan tail)
    {
        var db = _migration.Db;
        foreach (var integration in Integrations)
        {
            if (_coverage.TryGetValue(integration.Name, out var id) && db.Coverage.Find(id) is { } row)
            {
                row.To = to;
                row.MaxGap = tail;
                continue;
            }
            row = new CoverageRecord { Source = UsageLedgerGate.SourceName(integration.Name), From = _started, To = to, MaxGap = tail };
            db.Coverage.Add(row);
            db.SaveChanges();
            _coverage[integration.Name] = row.Id;
        }
        db.SaveChanges();
        db.ChangeTracker.Clear();
    }

    /// <summary>Waits until every queued shadow request has been handled, then flushes (tests; shutdown).</summary>
    public async Task DrainAsync()
    {
        await _shadow.DrainAsync();
        Flush();
    }

    /// <summary>Stops accepting requests, finishes the shadow queue, flushes the ledger.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        await _proxy.StopAsync();
        await _admin.StopAsync();
        await _stopping.CancelAsync();
        await _flushLoop;
        using (var drain = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await _shadow.DrainAsync().WaitAsync(drain.Token);
            }
            catch (OperationCanceledException)
            {
                // Shadow requests still running after the grace period are given up; the legacy answers went out long ago.
            }
        }
        Flush(final: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        await StopAsync();
        await _shadow.DisposeAsync();
        // Only now: the shadow requests still running relied on it for their timeouts.
        if (_heartbeat is not null)
            await _heartbeat.DisposeAsync();
        await _proxy.DisposeAsync();
        await _admin.DisposeAsync();
        _http.Dispose();
        _certificates?.Dispose();
        _listenerCertificate?.Dispose();
        foreach (var integration in Integrations)
            integration.Dispose();
        _stopping.Dispose();
    }

    private async Task FlushLoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval, _migration.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                try
                {
                    Flush();
                }
                catch (Exception e) when (e is Microsoft.EntityFrameworkCore.DbUpdateException or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
                {
                    Log.FlushFailed(_logger, e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<List<IntegrationRuntime>> BuildIntegrationsAsync(Migration migration, IntegrationSet set, HttpMessageInvoker http, ClientCertificates certificates,
        ILogger logger, CancellationToken cancellationToken)
    {
        // A legacy key retired by its move is gone from its store on purpose: that consumer now calls the new API itself.
        // One whose retirement is under way (pending) may already be gone too.
        var records = migration.LoadRecords().Values.ToList();
        var retired = records.Where(r => r.State == MoveState.Retired).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var retiring = records.Where(r => r.PendingStep == "retire").Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var resolver = new CredentialResolver(migration.Workspace, async (address, ct) =>
            (await migration.ReadAsync([address], ct)).GetValueOrDefault(address));
        var result = new List<IntegrationRuntime>();
        var errors = new List<InputError>();
        foreach (var integration in set.Integrations)
        {
            var consumers = new List<(IntegrationConsumer, Fingerprint)>();
            var tokens = new Dictionary<string, TokenClient>(StringComparer.Ordinal);
            var clients = new Dictionary<string, HttpMessageInvoker>(StringComparer.Ordinal);
            foreach (var consumer in integration.Consumers)
            {
                var owner = $"integrations.{integration.Name}.consumers.{consumer.Name}";
                if (consumer.LegacyKey.Kind == "store" && retired.Contains(consumer.LegacyKey.Target))
                {
                    Log.LegacyKeyRetired(logger, integration.Name, consumer.Name, consumer.LegacyKey.Target);
                    continue;
                }
                if (consumer.LegacyKey.Kind == "store" && retiring.Contains(consumer.LegacyKey.Target)
                    && (await migration.ReadAsync([Secrets.SecretAddress.Parse(consumer.LegacyKey.Target)], cancellationToken)).Count == 0)
                {
                    Log.LegacyKeyRetired(logger, integration.Name, consumer.Name, consumer.LegacyKey.Target);
                    continue;
                }
                try
                {
                    var legacyKey = await resolver.ResolveAsync(consumer.LegacyKey, owner, "legacyKey", cancellationToken);
                    consumers.Add((consumer, migration.Key.Of(legacyKey)));
                    if (integration.New.Auth.Type == EndpointAuthType.OAuth2 && consumer.ClientId is { } clientId && consumer.ClientSecret is { } secretRef)
                    {
                        var secret = await resolver.ResolveAsync(secretRef, owner, "clientSecret", cancellationToken);
                        tokens[consumer.Name] = new TokenClient(http, integration.New.Auth, clientId, secret, migration.Time);
                    }
                    if (integration.New.Auth.Type == EndpointAuthType.Mtls && (consumer.Certificate ?? integration.New.Auth.Certificate) is not null)
                        clients[consumer.Name] = await certificates.ClientForAsync(integration, consumer, resolver, owner, cancellationToken);
                }
                catch (IssuerException e)
                {
                    errors.Add(new InputError(null, owner, e.Message));
                }
            }
            result.Add(new IntegrationRuntime(integration, new ConsumerDirectory(migration.Key, consumers), tokens) { Clients = clients });
        }
        if (errors.Count > 0)
            throw new BadInputException(errors);
        return result;
    }

    /// <summary>
    /// A Kestrel listener, with TLS when a certificate is given; the HTTP/1.1 fast lane, when given, goes in front of
    /// Kestrel's HTTP server on it (behind TLS: it reads the decrypted stream, and hands HTTP/2 on).
    /// </summary>
    private static WebApplication Build(string endpoint, HttpProtocols protocols, Http1.Http1Lane? lane, X509Certificate2? certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // ASP.NET's own request logs would print paths and query strings, where a legacy key may travel.
        builder.Logging.ClearProviders();
        // Continuations run on the socket threads instead of being queued: the gateway's handlers never block, and a
        // proxy's work is mostly moving bytes between sockets (docs/performance.md, gateway).
        builder.WebHost.UseSockets(sockets =>
        {
            sockets.UnsafePreferInlineScheduling = true;
            sockets.WaitForDataBeforeAllocatingBuffer = false;
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPEndPoint.Parse(endpoint), listen =>
            {
                listen.Protocols = protocols;
                if (certificate is not null)
                    listen.UseHttps(certificate);
                if (lane is not null)
                    listen.Use(next => connection => lane.ServeAsync(connection, next));
            });
        });
        return builder.Build();
    }

    /// <summary>The proxy listener's certificate (<c>gateway.tls</c>), read from its stores before anything starts; null for cleartext.</summary>
    private static async Task<X509Certificate2?> ListenerCertificateAsync(Migration migration, GatewaySettings settings, CancellationToken cancellationToken)
    {
        if (settings.TlsCertificate is not { } certificateRef || settings.TlsPrivateKey is not { } keyRef)
            return null;
        var resolver = new CredentialResolver(migration.Workspace, async (address, ct) => (await migration.ReadAsync([address], ct)).GetValueOrDefault(address));
        try
        {
            var certificatePem = await resolver.ResolveAsync(certificateRef, "gateway.tls", "certificate", cancellationToken);
            var keyPem = await resolver.ResolveAsync(keyRef, "gateway.tls", "privateKey", cancellationToken);
            return TlsCertificate.FromPem(certificatePem, keyPem);
        }
        catch (IssuerException e)
        {
            throw new BadInputException(null, "gateway.tls", e.Message);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            // ArgumentException: a key that is not the certificate's.
            throw new BadInputException(null, "gateway.tls", $"{migration.Workspace.ConfigPath}: gateway.tls: certificate and privateKey do not form a usable server certificate ({e.GetType().Name})");
        }
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
}
