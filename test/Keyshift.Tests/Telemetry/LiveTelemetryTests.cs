using Keyshift.Issuers;
using Keyshift.Issuers.Postgres;
using Keyshift.Issuers.RabbitMq;
using Keyshift.Issuers.Redis;
using Keyshift.Telemetry;
using Keyshift.Tests.Issuers;
using Keyshift.Tests.Support;
using Npgsql;
using RabbitMQ.Client;

namespace Keyshift.Tests.Telemetry;

/// <summary>A real consumer connection shows up in each server's evidence with the right user and time.</summary>
public sealed class LiveTelemetryTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<NpgsqlConnection> ConnectPgAsync(string user, string password)
    {
        var b = new NpgsqlConnectionStringBuilder { Host = TestServers.PgHost, Port = TestServers.PgPort, Database = "postgres", Username = user, Password = password, Pooling = false, SslMode = SslMode.Disable };
        var c = new NpgsqlConnection(b.ConnectionString);
        await c.OpenAsync(Ct);
        return c;
    }

    private PostgresIssuer PgIssuer(bool withLog) => (PostgresIssuer)IssuerFactory.Create(_dir.Path, $"""
        type: postgres
        host: {TestServers.PgHost}
        port: {TestServers.PgPort}
        admin: file:{_dir.Write("pg.url", TestServers.PgAdminUrl)}
        {(withLog ? "log: " + TestServers.PgLog : "")}
        """);

    [Fact]
    public async Task PostgresLog_ShowsAConsumersConnection_WithItsUserAndTime()
    {
        var user = TestServers.Unique("consumer");
        await Keyshift.Tests.Issuers.Postgres.PostgresIssuerTests.ExecAsync($"CREATE ROLE {PgQuote.Identifier(user)} LOGIN PASSWORD 'consumer-pass-1'");
        var source = PgIssuer(withLog: true).TelemetrySources(TimeProvider.System).OfType<PostgresLogSource>().Single();
        var before = await source.CollectAsync(null, Ct);
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using (await ConnectPgAsync(user, "consumer-pass-1")) { }
        var end = DateTimeOffset.UtcNow.AddSeconds(1);

        // The server writes the line as the session starts; read until it is there (bounded).
        Observation? seen = null;
        var cursor = before.Cursor;
        for (var i = 0; i < 50 && seen is null; i++)
        {
            var batch = await source.CollectAsync(cursor, Ct);
            cursor = batch.Cursor;
            seen = batch.Observations.FirstOrDefault(o => o.Username == user);
            if (seen is null)
                await Task.Delay(100, Ct);
        }
        seen.ShouldNotBeNull();
        seen.Time.ShouldBeInRange(start, end);
        seen.Detail!.ShouldContain("database=postgres");
    }

    [Fact]
    public async Task PgStatActivity_ShowsAnOpenSessionByRole()
    {
        var user = TestServers.Unique("consumer");
        await Keyshift.Tests.Issuers.Postgres.PostgresIssuerTests.ExecAsync($"CREATE ROLE {PgQuote.Identifier(user)} LOGIN PASSWORD 'consumer-pass-2'");
        await using var session = await ConnectPgAsync(user, "consumer-pass-2");
        var source = PgIssuer(withLog: false).TelemetrySources(TimeProvider.System).OfType<PostgresActivitySource>().Single();
        var batch = await source.CollectAsync(null, Ct);
        batch.Observations.ShouldContain(o => o.Username == user && o.Count == 1);
        batch.Coverage.From.ShouldBe(batch.Coverage.To);
    }

    private Issuer RedisIssuer() => IssuerFactory.Create(_dir.Path, $"""
        type: redis
        port: {TestServers.RedisPort}
        admin: file:{_dir.Write("redis.pw", TestServers.RedisAdminPassword)}
        """);

    [Fact]
    public async Task RedisClientList_ShowsAConnectedUser_AndAclLogShowsARefusedOne()
    {
        var user = TestServers.Unique("consumer");
        await using (var admin = await Keyshift.Tests.Issuers.Redis.RedisIssuerTests.AdminAsync())
            (await admin.SendAsync(Ct, "ACL", "SETUSER", user, "on", ">consumer-pass-3", "~*", "+@all")).IsError.ShouldBeFalse();
        await using var consumer = await RespClient.ConnectAsync("127.0.0.1", TestServers.RedisPort, false, TimeSpan.FromSeconds(5), Ct);
        (await consumer.AuthAsync(user, Keyshift.Secrets.SecretValue.FromUtf8("consumer-pass-3"), Ct)).ShouldBeNull();
        await using var stranger = await RespClient.ConnectAsync("127.0.0.1", TestServers.RedisPort, false, TimeSpan.FromSeconds(5), Ct);
        (await stranger.AuthAsync(user, Keyshift.Secrets.SecretValue.FromUtf8("retired-pass"), Ct)).ShouldNotBeNull();

        var sources = RedisIssuer().TelemetrySources(TimeProvider.System);
        var clients = await sources.OfType<RedisClientsSource>().Single().CollectAsync(null, Ct);
        var acl = await sources.OfType<RedisAclLogSource>().Single().CollectAsync(null, Ct);

        clients.Observations.ShouldContain(o => o.Username == user && o.Count == 1);
        var refused = acl.Observations.Where(o => o.Username == user).ShouldHaveSingleItem();
        refused.Detail!.ShouldContain("reason=auth");
        refused.Time.ShouldBeInRange(DateTimeOffset.UtcNow.AddSeconds(-30), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task RedisAclLog_FromItsCursor_ReportsOnlyRefusalsNewerThanTheLastRound()
    {
        var user = TestServers.Unique("consumer");
        await using (var admin = await Keyshift.Tests.Issuers.Redis.RedisIssuerTests.AdminAsync())
            (await admin.SendAsync(Ct, "ACL", "SETUSER", user, "on", ">consumer-pass-5", "~*", "+@all")).IsError.ShouldBeFalse();
        async Task RefuseAsync()
        {
            await using var stranger = await RespClient.ConnectAsync("127.0.0.1", TestServers.RedisPort, false, TimeSpan.FromSeconds(5), Ct);
            (await stranger.AuthAsync(user, Keyshift.Secrets.SecretValue.FromUtf8("retired-pass"), Ct)).ShouldNotBeNull();
        }
        var source = RedisIssuer().TelemetrySources(TimeProvider.System).OfType<RedisAclLogSource>().Single();
        await RefuseAsync();
        var first = await source.CollectAsync(null, Ct);
        first.Observations.Count(o => o.Username == user).ShouldBe(1);

        var again = await source.CollectAsync(first.Cursor, Ct);
        again.Observations.ShouldNotContain(o => o.Username == user, "the same entry is not reported twice");

        // Entries within a second of the cursor count as the one already reported: the next refusal comes later than that.
        var cursor = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(again.Cursor!, System.Globalization.CultureInfo.InvariantCulture));
        while (DateTimeOffset.UtcNow <= cursor.AddSeconds(1.2))
            await Task.Delay(50, Ct);
        await RefuseAsync();
        var later = await source.CollectAsync(again.Cursor, Ct);
        later.Observations.Count(o => o.Username == user).ShouldBe(1, "a new refusal (the entry's last occurrence moved) is reported");
    }

    [Fact]
    public async Task RabbitMqConnections_ShowAConnectedUser()
    {
        var user = TestServers.Unique("consumer");
        using (var http = Keyshift.Tests.Issuers.RabbitMq.RabbitMqIssuerTests.Admin())
        {
            (await System.Net.Http.Json.HttpClientJsonExtensions.PutAsJsonAsync(http, $"api/users/{user}", new { password = "consumer-pass-4", tags = "" }, Ct)).EnsureSuccessStatusCode();
            (await System.Net.Http.Json.HttpClientJsonExtensions.PutAsJsonAsync(http, $"api/permissions/%2F/{user}", new { configure = ".*", write = ".*", read = ".*" }, Ct)).EnsureSuccessStatusCode();
        }
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = TestServers.RabbitAmqpPort, UserName = user, Password = "consumer-pass-4" };
        await using var connection = await factory.CreateConnectionAsync(Ct);
        var issuer = IssuerFactory.Create(_dir.Path, $"""
            type: rabbitmq
            url: http://127.0.0.1:{TestServers.RabbitMgmtPort}
            adminUser: {TestServers.RabbitAdminUser}
            admin: file:{_dir.Write("rabbit.pw", TestServers.RabbitAdminPassword)}
            """);
        var source = issuer.TelemetrySources(TimeProvider.System).Single();

        // The management API lists a connection after its next statistics event (every 500 ms in test/servers.sh).
        Observation? seen = null;
        for (var i = 0; i < 60 && seen is null; i++)
        {
            seen = (await source.CollectAsync(null, Ct)).Observations.FirstOrDefault(o => o.Username == user);
            if (seen is null)
                await Task.Delay(200, Ct);
        }
        seen.ShouldNotBeNull();
        seen.Count.ShouldBe(1);
        seen.Detail!.ShouldContain("127.0.0.1");
    }

    [Fact]
    public async Task Sampler_RecordsABatchPerSourcePerRound_AndReportsFailingSources()
    {
        var good = PgIssuer(withLog: false).TelemetrySources(TimeProvider.System).Single();
        var broken = new PostgresLogSource("db/postgres-log", _dir.File("missing.log"), TimeProvider.System);
        var sampler = new Sampler([good, broken], TimeSpan.FromMilliseconds(20), TimeProvider.System);
        var recorded = new List<TelemetryBatch>();
        var failures = new List<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        await sampler.RunAsync(new Dictionary<string, string?>(), (batch, _) =>
        {
            recorded.Add(batch);
            if (recorded.Count == 3)
                stop.Cancel();
            return ValueTask.CompletedTask;
        }, (source, e) => failures.Add(source.Name), stop.Token);

        recorded.Count.ShouldBe(3);
        recorded.ShouldAllBe(b => b.Source == good.Name);
        failures.ShouldContain("db/postgres-log");
    }

    public void Dispose() => _dir.Dispose();
}
