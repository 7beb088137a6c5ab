using Keyshift.Issuers;
using Keyshift.Issuers.Postgres;
using Keyshift.Probes;
using Keyshift.Secrets;
using Keyshift.Tests.Support;
using Npgsql;

namespace Keyshift.Tests.Issuers.Postgres;

public sealed class PostgresIssuerTests : IssuerConformanceTests
{
    private string AdminFile()
    {
        var path = Dir.File($"admin-{Guid.NewGuid():N}.url");
        File.WriteAllText(path, TestServers.PgAdminUrl + "\n");
        return path;
    }

    private string Yaml(string extra = "", string? admin = null) => $"""
        type: postgres
        host: {TestServers.PgHost}
        port: {TestServers.PgPort}
        database: postgres
        admin: file:{admin ?? AdminFile()}
        {extra}
        """;

    protected override Issuer CreateIssuer() => IssuerFactory.Create(Dir.Path, Yaml());

    protected override Issuer CreateIssuerWithWrongAdmin(string wrongSecret)
    {
        var url = new NpgsqlConnectionStringBuilder { Host = TestServers.PgHost, Port = TestServers.PgPort, Username = "keyshift_admin", Password = wrongSecret, Database = "postgres" };
        var path = Dir.Write("wrong.conn", url.ConnectionString);
        return IssuerFactory.Create(Dir.Path, Yaml(admin: path));
    }

    protected override async Task<Credential> CreateAccountAsync(Issuer issuer, string account)
    {
        var password = "old-" + Guid.NewGuid().ToString("N");
        await ExecAsync($"CREATE ROLE {PgQuote.Identifier(account)} LOGIN PASSWORD {PgQuote.Literal(password)}");
        return Credential.Login(issuer.Describe(account, account), SecretValue.FromUtf8(password));
    }

    protected override Probe CreateProbe(Issuer issuer) => new PostgresProbe("postgres", TestServers.PgHost, TestServers.PgPort, "postgres", SslMode.Disable, null, TimeSpan.FromSeconds(5));

    protected override async Task<int> CountLoginsAsync(string account)
    {
        await using var connection = await AdminAsync();
        await using var command = new NpgsqlCommand("SELECT count(*)::int FROM pg_roles WHERE rolname = @a OR starts_with(rolname, @p)", connection);
        command.Parameters.AddWithValue("a", account);
        command.Parameters.AddWithValue("p", PgQuote.RoleName(account, "_ks_"));
        return (int)(await command.ExecuteScalarAsync(Ct))!;
    }

    internal static async Task<NpgsqlConnection> AdminAsync(string database = "postgres")
    {
        var builder = PostgresConnectionText.TryParse(TestServers.PgAdminUrl, out _)!;
        builder.Database = database;
        builder.SslMode = SslMode.Disable;
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(Ct);
        return connection;
    }

    internal static async Task ExecAsync(string sql)
    {
        await using var connection = await AdminAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<T?> AsAsync<T>(Credential credential, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = TestServers.PgHost, Port = TestServers.PgPort, Database = "postgres", SslMode = SslMode.Disable, Pooling = false,
            Username = credential.Field(Credential.Username)!.RevealUtf8(), Password = credential.Field(Credential.Password)!.RevealUtf8(),
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T?)await command.ExecuteScalarAsync(Ct);
    }

    [Fact]
    public async Task AlternatingUsers_NewRole_CanDoEverythingTheOldCan()
    {
        var account = TestServers.Unique("app");
        var schema = TestServers.Unique("s");
        var group = TestServers.Unique("grp");
        var issuer = CreateIssuer();
        var old = await CreateAccountAsync(issuer, account);
        var a = PgQuote.Identifier(account);
        var s = PgQuote.Identifier(schema);
        await ExecAsync($"""
            CREATE SCHEMA {s};
            CREATE TABLE {s}.orders (id serial PRIMARY KEY, note text, secret_col text);
            CREATE TABLE {s}.owned_by_app (id int);
            ALTER TABLE {s}.owned_by_app OWNER TO {a};
            CREATE TABLE {s}.hidden (id int);
            CREATE ROLE {PgQuote.Identifier(group)} NOLOGIN;
            CREATE TABLE {s}.via_group (id int);
            GRANT SELECT ON {s}.via_group TO {PgQuote.Identifier(group)};
            GRANT {PgQuote.Identifier(group)} TO {a};
            GRANT USAGE ON SCHEMA {s} TO {a};
            GRANT SELECT, INSERT ON {s}.orders TO {a};
            GRANT UPDATE (note) ON {s}.orders TO {a};
            GRANT USAGE, SELECT ON SEQUENCE {s}.orders_id_seq TO {a};
            ALTER ROLE {a} SET search_path = {s}, public;
            ALTER ROLE {a} CONNECTION LIMIT 7 CREATEDB;
            """);

        var pending = await issuer.PrepareAsync(IssueRequest.First(account, RequestToken.For("m", "stage", "1")), Ct);
        var fresh = await issuer.IssueAsync(pending, Ct);

        (await AsAsync<int>(fresh, "INSERT INTO orders (note) VALUES ('x') RETURNING id")).ShouldBeGreaterThan(0);
        (await AsAsync<long>(fresh, "SELECT count(*) FROM orders")).ShouldBe(1);
        (await AsAsync<int>(fresh, "WITH u AS (UPDATE orders SET note = 'y' RETURNING 1) SELECT count(*)::int FROM u")).ShouldBe(1);
        await Should.ThrowAsync<PostgresException>(() => AsAsync<int>(fresh, "UPDATE orders SET secret_col = 'no' RETURNING 1"));
        (await AsAsync<long>(fresh, "SELECT count(*) FROM owned_by_app")).ShouldBe(0);
        (await AsAsync<long>(fresh, "SELECT count(*) FROM via_group")).ShouldBe(0);
        await Should.ThrowAsync<PostgresException>(() => AsAsync<long>(fresh, "SELECT count(*) FROM hidden"));
        (await AsAsync<string>(fresh, "SHOW search_path"))!.ShouldContain(schema);
        await using var admin = await AdminAsync();
        await using var check = new NpgsqlCommand("SELECT rolconnlimit, rolcreatedb, rolsuper FROM pg_roles WHERE rolname = @r", admin);
        check.Parameters.AddWithValue("r", fresh.Descriptor.Username);
        await using var reader = await check.ExecuteReaderAsync(Ct);
        (await reader.ReadAsync(Ct)).ShouldBeTrue();
        reader.GetInt32(0).ShouldBe(7);
        reader.GetBoolean(1).ShouldBeTrue();
        reader.GetBoolean(2).ShouldBeFalse();
        old.Descriptor.Username.ShouldBe(account);
    }

    [Fact]
    public async Task PendingName_IsDeterministicFromTheToken()
    {
        var issuer = (PostgresIssuer)CreateIssuer();
        var token = RequestToken.For("legacy:DB_PASSWORD", "stage", "1");
        issuer.RoleFor(IssueRequest.First("app", token)).ShouldBe(issuer.RoleFor(IssueRequest.First("app", token)));
        issuer.RoleFor(IssueRequest.First("app", token)).ShouldStartWith("app_ks_");
        issuer.RoleFor(IssueRequest.First(new string('x', 80), token)).Length.ShouldBe(63);
        issuer.RoleFor(IssueRequest.First("app", RequestToken.For("legacy:DB_PASSWORD", "stage", "2"))).ShouldNotBe(issuer.RoleFor(IssueRequest.First("app", token)));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Prepare_ForMissingRole_NamesIssuerStepAndRole_AndChangesNothing()
    {
        var e = await Should.ThrowAsync<IssuerException>(async () => await CreateIssuer().PrepareAsync(IssueRequest.First("no_such_role_ks", RequestToken.For("m", "s", "1")), Ct));
        e.Message.ShouldContain("issuer 'test' (postgres): prepare");
        e.Message.ShouldContain("'no_such_role_ks' does not exist");
        (await CountLoginsAsync("no_such_role_ks")).ShouldBe(0);
    }

    [Fact]
    public async Task UnreachableServer_FailsClearly()
    {
        var url = $"postgresql://keyshift_admin:whatever@127.0.0.1:1/postgres";
        var issuer = IssuerFactory.Create(Dir.Path, $"type: postgres\nadmin: file:{Dir.Write("u.url", url)}\ntimeout: 2s");
        var e = await Should.ThrowAsync<IssuerException>(async () => await issuer.PrepareAsync(IssueRequest.First("app", RequestToken.For("m", "s", "1")), Ct));
        e.Message.ShouldContain("cannot reach 127.0.0.1:1");
        e.Message.ShouldNotContain("whatever");
    }

    [Fact]
    public async Task AdminWithoutPrivileges_IsFoundAtPrepare_BeforeAnyChange()
    {
        var weak = TestServers.Unique("weak");
        await ExecAsync($"CREATE ROLE {PgQuote.Identifier(weak)} LOGIN PASSWORD 'weak-pass-123'");
        var account = TestServers.Unique("app");
        await CreateAccountAsync(CreateIssuer(), account);
        var url = $"postgresql://{weak}:weak-pass-123@{TestServers.PgHost}:{TestServers.PgPort}/postgres";
        var issuer = IssuerFactory.Create(Dir.Path, Yaml(admin: Dir.Write("weak.url", url)));
        var e = await Should.ThrowAsync<IssuerException>(async () => await issuer.PrepareAsync(IssueRequest.First(account, RequestToken.For("m", "s", "1")), Ct));
        e.Message.ShouldContain("prepare");
        e.Message.ShouldContain("permission denied", Case.Insensitive);
        (await CountLoginsAsync(account)).ShouldBe(1);
    }

    [Fact]
    public async Task Prepare_RefusesARoleWithTheTargetNameThatKeyshiftDidNotCreate()
    {
        var issuer = (PostgresIssuer)CreateIssuer();
        var account = TestServers.Unique("app");
        await CreateAccountAsync(issuer, account);
        var request = IssueRequest.First(account, RequestToken.For("m", "s", "1"));
        await ExecAsync($"CREATE ROLE {PgQuote.Identifier(issuer.RoleFor(request))} LOGIN");
        var e = await Should.ThrowAsync<IssuerException>(async () => await issuer.PrepareAsync(request, Ct));
        e.Message.ShouldContain("was not created by Keyshift");
    }

    [Fact]
    public async Task Revoke_EndsTheOldRolesOpenSessions()
    {
        var issuer = CreateIssuer();
        var old = await CreateAccountAsync(issuer, TestServers.Unique("app"));
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = TestServers.PgHost, Port = TestServers.PgPort, Database = "postgres", SslMode = SslMode.Disable, Pooling = false,
            Username = old.Descriptor.Username, Password = old.Field(Credential.Password)!.RevealUtf8(),
        };
        await using var session = new NpgsqlConnection(builder.ConnectionString);
        await session.OpenAsync(Ct);
        await issuer.RevokeAsync(old, Ct);
        await using var command = new NpgsqlCommand("SELECT 1", session);
        await Should.ThrowAsync<Exception>(() => command.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task DropOld_DropsTheRetiredRole()
    {
        var issuer = IssuerFactory.Create(Dir.Path, Yaml("dropOld: true"));
        var account = TestServers.Unique("app");
        var old = await CreateAccountAsync(issuer, account);
        var fresh = await issuer.IssueAsync(await issuer.PrepareAsync(IssueRequest.First(account, RequestToken.For("m", "s", "1")), Ct), Ct);
        await issuer.RevokeAsync(old, Ct);
        (await CountLoginsAsync(account)).ShouldBe(1);
        (await CreateProbe(issuer).RunAsync(fresh, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
    }

    [Fact]
    public async Task SingleUser_SetsANewPasswordOnTheSameRole_OldStopsAtOnce()
    {
        var issuer = IssuerFactory.Create(Dir.Path, Yaml("strategy: single-user\nallowSingleUser: true"));
        issuer.SupportsDualRun.ShouldBeFalse();
        issuer.Warnings.ShouldHaveSingleItem().ShouldContain("no dual-run");
        var account = TestServers.Unique("app");
        var old = await CreateAccountAsync(issuer, account);
        var fresh = await issuer.IssueAsync(await issuer.PrepareAsync(IssueRequest.First(account, RequestToken.For("m", "s", "1")), Ct), Ct);
        fresh.Descriptor.Username.ShouldBe(account);
        var probe = CreateProbe(issuer);
        (await probe.RunAsync(fresh, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
        (await probe.RunAsync(old, Ct)).Outcome.ShouldBe(ProbeOutcome.Refused);
        await issuer.RevokeAsync(old, Ct);
        (await probe.RunAsync(fresh, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
    }

    [Fact]
    public void SingleUser_WithoutExplicitFlag_IsBadInput_NamingTheField()
    {
        var (_, errors) = IssuerFactory.TryCreate(Dir.Path, "type: postgres\nadmin: env:X\nstrategy: single-user");
        errors.Items.ShouldContain(e => e.Field == "issuers.test.strategy" && e.Message.Contains("allowSingleUser: true"));
    }

    [Theory]
    [InlineData("admin: postgresql://u:p@h/db", "admin")]
    [InlineData("admin: env:X\nstrategy: sideways", "strategy")]
    [InlineData("admin: env:X\nsslmode: maybe", "sslmode")]
    [InlineData("admin: env:X\nlength: 4", "length")]
    [InlineData("admin: env:X\nalphabet: ab'c", "alphabet")]
    [InlineData("admin: env:X\nhots: typo", "hots")]
    public void BadSettings_AreReportedWithFileLineAndField(string yaml, string field)
    {
        var (_, errors) = IssuerFactory.TryCreate(Dir.Path, "type: postgres\n" + yaml);
        var error = errors.Items.ShouldHaveSingleItem();
        error.Field.ShouldBe($"issuers.test.{field}");
        error.Location!.File.ShouldBe("keyshift.yaml");
        error.Location.Line.ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task IssueInterruptedAtRandomPoints_ThenResumed_LeavesExactlyOneNewRole()
    {
        var issuer = CreateIssuer();
        var account = TestServers.Unique("app");
        var old = await CreateAccountAsync(issuer, account);
        var s = PgQuote.Identifier(TestServers.Unique("s"));
        await ExecAsync($"CREATE SCHEMA {s}; GRANT USAGE ON SCHEMA {s} TO {PgQuote.Identifier(account)}; " + string.Concat(Enumerable.Range(0, 40).Select(i => $"CREATE TABLE {s}.t{i} (id int); GRANT SELECT ON {s}.t{i} TO {PgQuote.Identifier(account)}; ")));
        var pending = await issuer.PrepareAsync(IssueRequest.First(account, RequestToken.For("crash", "stage", "1")), Ct);
        var random = new Random(42);
        for (var attempt = 0; attempt < 8; attempt++)
        {
            // The process dies somewhere inside the step: the transaction is rolled back or was committed, never half-done.
            using var die = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            die.CancelAfter(TimeSpan.FromMilliseconds(random.Next(0, 60)));
            try { await CreateIssuer().IssueAsync(pending, die.Token); } catch (OperationCanceledException) { } catch (IssuerException) { } catch (NpgsqlException) { }
        }
        var resumed = await CreateIssuer().IssueAsync(pending, Ct);

        (await CountLoginsAsync(account)).ShouldBe(2);
        (await AsAsync<long>(resumed, $"SELECT count(*) FROM {s}.t39")).ShouldBe(0);
        (await CreateProbe(issuer).RunAsync(old, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
    }
}
