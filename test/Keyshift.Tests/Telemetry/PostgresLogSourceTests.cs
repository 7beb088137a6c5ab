using Keyshift.Telemetry;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Telemetry;

public sealed class PostgresLogSourceTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectionLines_BecomeObservations_WithTheLineTimes()
    {
        var log = _dir.Write("pg.log", """
            2026-11-22 09:00:00.100 UTC [10] LOG:  database system is ready to accept connections
            2026-11-22 09:15:02.250 UTC [11] LOG:  connection received: host=127.0.0.1 port=5000
            2026-11-22 09:15:02.260 UTC [11] LOG:  connection authorized: user=app database=payments application_name=psql
            2026-11-22 09:16:00.000 +01 [12] LOG:  connection authorized: user=app_ks_1a2b3c4d database=payments SSL enabled (protocol=TLSv1.3)
            2026-11-22 09:17:00.000 UTC [13] FATAL:  password authentication failed for user "app"
            2026-11-22 09:18:00.000 UTC [14] LOG:  connection authorized: user=app database=pay
            """);
        var batch = await new PostgresLogSource("db/postgres-log", log, _time).CollectAsync(null, Ct);

        batch.Observations.Select(o => (o.Username, o.Time, o.Detail!.Split(' ')[0])).ShouldBe([
            ("app", new DateTimeOffset(2026, 11, 22, 9, 15, 2, 260, TimeSpan.Zero), "database=payments"),
            ("app_ks_1a2b3c4d", new DateTimeOffset(2026, 11, 22, 8, 16, 0, TimeSpan.Zero), "database=payments"),
            ("app", new DateTimeOffset(2026, 11, 22, 9, 17, 0, TimeSpan.Zero), "authentication"),
        ]);
        batch.Coverage.ShouldBe(new Coverage(new DateTimeOffset(2026, 11, 22, 9, 0, 0, 100, TimeSpan.Zero), _time.GetUtcNow()));
    }

    [Fact]
    public async Task Cursor_ReadsOnlyNewCompleteLines_AndCoverageContinues()
    {
        var log = _dir.Write("pg.log", "2026-11-22 09:00:00.000 UTC [1] LOG:  connection authorized: user=a database=d\n");
        var source = new PostgresLogSource("db/postgres-log", log, _time);
        var first = await source.CollectAsync(null, Ct);
        File.AppendAllText(log, "2026-11-22 09:30:00.000 UTC [2] LOG:  connection authorized: user=b database=d\n2026-11-22 09:31:00.000 UTC [3] LOG:  connection auth");
        _time.Advance(TimeSpan.FromMinutes(5));

        var second = await source.CollectAsync(first.Cursor, Ct);

        second.Observations.ShouldHaveSingleItem().Username.ShouldBe("b");
        second.Coverage.From.ShouldBe(first.Coverage.To);
        File.AppendAllText(log, "orized: user=c database=d\n");
        (await source.CollectAsync(second.Cursor, Ct)).Observations.ShouldHaveSingleItem().Username.ShouldBe("c");
    }

    [Fact]
    public async Task TruncatedLog_RestartsCoverage_FromItsFirstLine()
    {
        var log = _dir.Write("pg.log", new string('x', 500) + "\n");
        var source = new PostgresLogSource("db/postgres-log", log, _time);
        var first = await source.CollectAsync(null, Ct);
        File.WriteAllText(log, "2026-11-22 09:59:00.000 UTC [2] LOG:  connection authorized: user=b database=d\n");
        var second = await source.CollectAsync(first.Cursor, Ct);
        second.Observations.ShouldHaveSingleItem();
        second.Coverage.From.ShouldBe(new DateTimeOffset(2026, 11, 22, 9, 59, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task UnreadableZone_IsAClearError_NotSilentMisdating()
    {
        var log = _dir.Write("pg.log", "2026-11-22 09:00:00.000 CET [1] LOG:  connection authorized: user=a database=d\n");
        var e = await Should.ThrowAsync<TelemetryException>(async () => await new PostgresLogSource("db/postgres-log", log, _time).CollectAsync(null, Ct));
        e.Message.ShouldContain("log_timezone");
    }

    [Fact]
    public async Task MissingLog_IsATelemetryError_NamingTheFile()
    {
        var e = await Should.ThrowAsync<TelemetryException>(async () => await new PostgresLogSource("db/postgres-log", _dir.File("nope.log"), _time).CollectAsync(null, Ct));
        e.Message.ShouldContain("nope.log");
    }

    public void Dispose() => _dir.Dispose();
}
