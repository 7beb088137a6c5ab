using System.Text.Json.Nodes;
using Keyshift.Issuers.Postgres;
using Keyshift.Tests.Issuers.Postgres;
using Keyshift.Tests.Support;
using Npgsql;

namespace Keyshift.Tests.Execution;

/// <summary>
/// Rotating again a credential Keyshift already rotated, on the real PostgreSQL of test/servers.sh: the source is the map
/// the first rotation wrote (<c>username</c> = the issued role, <c>password</c>); the second rotation alternates back to the
/// account's own role (LOGIN again, new password, same grants) and retires the issued one on evidence.
/// </summary>
public sealed class SecondRotationTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddYears(56));
    private readonly List<CliRunner.Result> _outputs = [];

    private async Task<CliRunner.Result> Run(PostgresRotation rotation, params string[] args)
    {
        var result = await CliRunner.RunAsync(_time, [.. args, "-c", rotation.Config]);
        _outputs.Add(result);
        return result;
    }

    private (string User, string Password) Next()
    {
        var db = JsonNode.Parse(File.ReadAllText(_dir.File("next/secrets.json")))!["app"]!["db"]!;
        return ((string)db["username"]!, (string)db["password"]!);
    }

    private static async Task<long> CountRowsAsync(string user, string password, string table)
    {
        await using var connection = await PostgresRotation.ConnectAsync(user, password);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    [Fact]
    public async Task SecondRotation_FromTheMapTheFirstWrote_AlternatesBackToTheAccount_AndRetiresTheIssuedRole()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir, cutover: "{ dualRun: 0s, quietWindow: 3s, approvals: 0 }");
        var table = PgQuote.Identifier(rotation.Account + "_orders");
        await PostgresIssuerTests.ExecAsync($"CREATE TABLE {table} (id int); INSERT INTO {table} VALUES (1), (2); GRANT SELECT ON {table} TO {PgQuote.Identifier(rotation.Account)}");
        (await Run(rotation, "apply", "--until", "cutover")).ExitCode.ShouldBe(0);
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            (await Run(rotation, "watch", "--once", "--interval", "1s")).ExitCode.ShouldBe(0);
        }
        var first = await Run(rotation, "retire");
        first.ExitCode.ShouldBe(0, first.ToString());
        var (issued, issuedPassword) = (rotation.Target("username")!, rotation.Target("password")!);
        issued.ShouldStartWith(rotation.Account + "_ks_");

        // The second rotation: the map the first one wrote is the source; the new credential goes to another store.
        var config = File.ReadAllText(rotation.Config)
            .Replace("  governed: { type: json, path: governed/secrets.json }", "  governed: { type: json, path: governed/secrets.json }\n  next: { type: json, path: next/secrets.json }", StringComparison.Ordinal)
            .Replace("cutover:", $"  - from: governed:app/db\n    to: next:app/db\n    issuer: db\n    account: {rotation.Account}\n    probes: [{{ type: postgres }}]\ncutover:", StringComparison.Ordinal);
        File.WriteAllText(rotation.Config, config);

        await using (var consumer = await PostgresRotation.ConnectAsync(issued, issuedPassword))
        {
            var apply = await Run(rotation, "apply", "--until", "cutover");
            apply.ExitCode.ShouldBe(0, apply.ToString());
            var (user, password) = Next();
            user.ShouldBe(rotation.Account, "the second rotation alternates back to the account's own role");
            (await CountRowsAsync(user, password, table)).ShouldBe(2, "the account's role keeps its grants");
            (await PostgresRotation.LoginAsync(issued, issuedPassword)).ShouldBeNull("dual-run: the issued role still works");
            (await PostgresRotation.LoginAsync(rotation.Account, rotation.Password)).ShouldNotBeNull("the first password does not come back");

            (await Run(rotation, "watch", "--once", "--interval", "1s")).ExitCode.ShouldBe(0);
            var held = await Run(rotation, "retire");
            held.ExitCode.ShouldBe(1, held.ToString());
            held.Out.ShouldContain($"old credential `{issued}` used at");
            var usage = await Run(rotation, "usage", "--format", "json");
            usage.Out.ShouldContain($"\"{issued}\"", customMessage: "usage reports the login being replaced, not the account");
        }

        var (newUser, newPassword) = Next();
        await using var switched = await PostgresRotation.ConnectAsync(newUser, newPassword);
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            (await Run(rotation, "watch", "--once", "--interval", "1s")).ExitCode.ShouldBe(0);
        }
        var retire = await Run(rotation, "retire");
        retire.ExitCode.ShouldBe(0, retire.ToString());

        (await PostgresRotation.LoginAsync(issued, issuedPassword)).ShouldNotBeNull("the issued role is refused after the second retirement");
        (await CountRowsAsync(newUser, newPassword, table)).ShouldBe(2);
        (await rotation.RolesAsync()).ShouldBe([(rotation.Account, true), (issued, false)]);
        File.ReadAllText(_dir.File("governed/secrets.json")).ShouldNotContain("password", customMessage: "retire deletes every field of the source map");
        var drift = await Run(rotation, "drift");
        drift.ExitCode.ShouldBe(0, drift.ToString() + "\nthe first move's target was handed on to the second, not lost");
        foreach (var output in _outputs)
            Canary.FindIn(output.All, "output", [rotation.Password, issuedPassword, newPassword]).ShouldBeEmpty();
    }

    [Fact]
    public async Task SecondRotation_RolledBack_MakesTheAccountNologinAgain_TheIssuedRoleKeepsWorking()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir, cutover: "{ dualRun: 0s, quietWindow: 0s, approvals: 0 }");
        (await Run(rotation, "apply")).ExitCode.ShouldBe(0);
        var (issued, issuedPassword) = (rotation.Target("username")!, rotation.Target("password")!);
        File.WriteAllText(rotation.Config, File.ReadAllText(rotation.Config)
            .Replace("  governed: { type: json, path: governed/secrets.json }", "  governed: { type: json, path: governed/secrets.json }\n  next: { type: json, path: next/secrets.json }", StringComparison.Ordinal)
            .Replace("cutover:", $"  - from: governed:app/db\n    to: next:app/db\n    issuer: db\n    account: {rotation.Account}\n    probes: [{{ type: postgres }}]\ncutover:", StringComparison.Ordinal));
        (await Run(rotation, "apply", "--until", "cutover")).ExitCode.ShouldBe(0);
        var (user, password) = Next();

        var rollback = await Run(rotation, "rollback", "--move", "governed:app/db");
        rollback.ExitCode.ShouldBe(0, rollback.ToString());

        (await PostgresRotation.LoginAsync(user, password)).ShouldNotBeNull("the account's role is NOLOGIN again");
        (await PostgresRotation.LoginAsync(issued, issuedPassword)).ShouldBeNull("the credential in use keeps working");
        rotation.Target("password").ShouldBe(issuedPassword, "the source map is untouched");
        File.ReadAllText(_dir.File("next/secrets.json")).ShouldNotContain("password");
    }

    [Fact]
    public async Task SecondRotation_FromAFlatStore_ReadsTheFieldKeysTheFirstWrote()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir, cutover: "{ dualRun: 0s, quietWindow: 0s, approvals: 0 }");
        File.WriteAllText(rotation.Config, File.ReadAllText(rotation.Config)
            .Replace("  governed: { type: json, path: governed/secrets.json }", "  governed: { type: dotenv, path: governed/.env }\n  next: { type: dotenv, path: next/.env }", StringComparison.Ordinal)
            .Replace("to: governed:app/db", "to: governed:APP_DB", StringComparison.Ordinal));
        (await Run(rotation, "apply")).ExitCode.ShouldBe(0);
        string Env(string file, string key) => File.ReadAllLines(_dir.File(file)).Single(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];
        var (issued, issuedPassword) = (Env("governed/.env", "APP_DB_USERNAME"), Env("governed/.env", "APP_DB_PASSWORD"));
        File.WriteAllText(rotation.Config, File.ReadAllText(rotation.Config).Replace("cutover:",
            $"  - from: governed:APP_DB\n    to: next:APP_DB\n    issuer: db\n    account: {rotation.Account}\n    probes: [{{ type: postgres }}]\ncutover:", StringComparison.Ordinal));

        var apply = await Run(rotation, "apply");
        apply.ExitCode.ShouldBe(0, apply.ToString());

        Env("next/.env", "APP_DB_USERNAME").ShouldBe(rotation.Account);
        (await PostgresRotation.LoginAsync(rotation.Account, Env("next/.env", "APP_DB_PASSWORD"))).ShouldBeNull();
        (await PostgresRotation.LoginAsync(issued, issuedPassword)).ShouldNotBeNull("the issued role is retired");
        File.ReadAllText(_dir.File("governed/.env")).ShouldNotContain("APP_DB_", customMessage: "both field keys of the source are deleted");
    }

    [Fact]
    public async Task SecondRotation_BeforeTheFirstIsRetired_IsRefusedBeforeAnyChange()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir, cutover: "{ dualRun: 0s, quietWindow: 0s, approvals: 0 }");
        (await Run(rotation, "apply", "--until", "cutover")).ExitCode.ShouldBe(0);
        var config = File.ReadAllText(rotation.Config)
            .Replace("  governed: { type: json, path: governed/secrets.json }", "  governed: { type: json, path: governed/secrets.json }\n  next: { type: json, path: next/secrets.json }", StringComparison.Ordinal)
            .Replace("cutover:", $"  - from: governed:app/db\n    to: next:app/db\n    issuer: db\n    account: {rotation.Account}\ncutover:", StringComparison.Ordinal);
        File.WriteAllText(rotation.Config, config);

        var apply = await Run(rotation, "apply", "--until", "cutover");
        apply.ExitCode.ShouldBe(2, apply.ToString());
        apply.Err.ShouldContain($"role '{rotation.Account}' can still log in");
        (await PostgresRotation.LoginAsync(rotation.Account, rotation.Password)).ShouldBeNull("nothing changed");
        File.Exists(_dir.File("next/secrets.json")).ShouldBeFalse();
    }

    [Fact]
    public async Task Config_CredentialMoveOntoItsOwnSource_IsBadInput()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir);
        File.WriteAllText(rotation.Config, File.ReadAllText(rotation.Config).Replace("from: legacy:DB_PASSWORD", "from: governed:app/db", StringComparison.Ordinal));
        var plan = await Run(rotation, "plan");
        plan.ExitCode.ShouldBe(2, plan.ToString());
        plan.Err.ShouldContain("moves[0].to: the target is the source itself");
    }

    public void Dispose() => _dir.Dispose();
}
