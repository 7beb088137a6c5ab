using Keyshift.Issuers;
using Keyshift.Issuers.Postgres;
using Keyshift.Probes;
using Keyshift.Secrets;
using Keyshift.Tests.Support;
using Npgsql;

namespace Keyshift.Tests.Issuers.Postgres;

/// <summary>
/// A second rotation with <c>alternating-users</c>: from the role issued before, back to the account's own role — idempotent
/// per token, re-created when <c>dropOld</c> dropped it, and revocable on rollback. Against the real PostgreSQL.
/// </summary>
public sealed class PostgresAlternateBackTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempDir _dir = new();

    private Issuer CreateIssuer(string extra = "") => IssuerFactory.Create(_dir.Path, $"""
        type: postgres
        host: {TestServers.PgHost}
        port: {TestServers.PgPort}
        database: postgres
        admin: env:KEYSHIFT_TEST_PG_ADMIN_URL
        {extra}
        """);

    private static PostgresProbe Probe() => new("postgres", TestServers.PgHost, TestServers.PgPort, "postgres", SslMode.Disable, null, TimeSpan.FromSeconds(5));

    /// <summary>The account with a table it may read, rotated once and retired: returns the issued login (the one in use now).</summary>
    private async Task<(string Account, string Table, Credential Old, Credential Issued)> RotatedOnceAsync(Issuer issuer)
    {
        var account = TestServers.Unique("app");
        var table = PgQuote.Identifier(account + "_t");
        var password = "old-" + Guid.NewGuid().ToString("N");
        await PostgresIssuerTests.ExecAsync($"CREATE ROLE {PgQuote.Identifier(account)} LOGIN PASSWORD {PgQuote.Literal(password)}; CREATE TABLE {table} (id int); GRANT SELECT ON {table} TO {PgQuote.Identifier(account)}");
        var old = Credential.Login(issuer.Describe(account, account), SecretValue.FromUtf8(password));
        var issued = await issuer.IssueAsync(await issuer.PrepareAsync(IssueRequest.First(account, RequestToken.For("m", "stage", "1")), Ct), Ct);
        await issuer.RevokeAsync(old, Ct);
        return (account, table, old, issued);
    }

    private static async Task<bool> CanSelectAsync(Credential credential, string table)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = TestServers.PgHost, Port = TestServers.PgPort, Database = "postgres", SslMode = SslMode.Disable, Pooling = false,
            Username = credential.Field(Credential.Username)!.RevealUtf8(), Password = credential.Field(Credential.Password)!.RevealUtf8(),
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        try
        {
            await command.ExecuteScalarAsync(Ct);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            return false;
        }
    }

    private static async Task<int> RolesAsync(string account)
    {
        await using var connection = await PostgresIssuerTests.AdminAsync();
        await using var command = new NpgsqlCommand("SELECT count(*)::int FROM pg_roles WHERE rolname = @a OR starts_with(rolname, @p)", connection);
        command.Parameters.AddWithValue("a", account);
        command.Parameters.AddWithValue("p", account + "_ks_");
        return (int)(await command.ExecuteScalarAsync(Ct))!;
    }

    [Fact]
    public async Task AlternateBack_IssuedTwiceWithOneToken_ResetsThePassword_AndCreatesNoRole()
    {
        var issuer = CreateIssuer();
        var (account, table, _, issued) = await RotatedOnceAsync(issuer);
        var pending = await issuer.PrepareAsync(new IssueRequest(account, issued.Descriptor.Username, RequestToken.For("m", "stage", "2")), Ct);
        pending.Username.ShouldBe(account);

        var lost = await issuer.IssueAsync(pending, Ct);
        var resumed = await issuer.IssueAsync(CredentialDescriptor.FromJson(pending.ToJson()), Ct);

        (await Probe().RunAsync(lost, Ct)).Outcome.ShouldBe(ProbeOutcome.Refused, "the lost attempt's password was replaced");
        (await Probe().RunAsync(resumed, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
        (await CanSelectAsync(resumed, table)).ShouldBeTrue();
        (await Probe().RunAsync(issued, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded, "dual-run: the issued role still works");
        (await RolesAsync(account)).ShouldBe(2);
    }

    [Fact]
    public async Task AlternateBack_WhenDropOldDroppedTheAccount_CreatesItAgainWithTheGrants()
    {
        var issuer = CreateIssuer("dropOld: true");
        var (account, table, old, issued) = await RotatedOnceAsync(issuer);
        (await RolesAsync(account)).ShouldBe(1, "the account's role was dropped at the first retirement");

        var fresh = await issuer.IssueAsync(await issuer.PrepareAsync(new IssueRequest(account, issued.Descriptor.Username, RequestToken.For("m", "stage", "2")), Ct), Ct);

        fresh.Descriptor.Username.ShouldBe(account);
        (await CanSelectAsync(fresh, table)).ShouldBeTrue("cloned from the issued role, which had the grants");
        (await Probe().RunAsync(old, Ct)).Outcome.ShouldBe(ProbeOutcome.Refused, "the first password does not come back");
    }

    [Fact]
    public async Task AlternateBack_RolledBack_MakesTheAccountNologinAgain_IssuedRoleKeepsWorking()
    {
        var issuer = CreateIssuer();
        var (account, _, _, issued) = await RotatedOnceAsync(issuer);
        var fresh = await issuer.IssueAsync(await issuer.PrepareAsync(new IssueRequest(account, issued.Descriptor.Username, RequestToken.For("m", "stage", "2")), Ct), Ct);

        await issuer.RevokeAsync(Credential.Described(fresh.Descriptor), Ct);

        (await Probe().RunAsync(fresh, Ct)).Outcome.ShouldBe(ProbeOutcome.Refused);
        (await Probe().RunAsync(issued, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
    }

    public void Dispose() => _dir.Dispose();
}
