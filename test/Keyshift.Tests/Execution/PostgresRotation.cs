using System.Text.Json;
using Keyshift.Issuers.Postgres;
using Keyshift.Tests.Issuers;
using Keyshift.Tests.Issuers.Postgres;
using Keyshift.Tests.Support;
using Npgsql;

namespace Keyshift.Tests.Execution;

/// <summary>A credential-replacement workspace against the real PostgreSQL of test/servers.sh: one role with a known password in a legacy .env.</summary>
internal sealed class PostgresRotation
{
    private PostgresRotation(TempDir dir, string account, string password)
    {
        Dir = dir;
        Account = account;
        Password = password;
    }

    public TempDir Dir { get; }

    public string Account { get; }

    /// <summary>The old credential's password (a canary: it must never leave the legacy store).</summary>
    public string Password { get; }

    public string Config => Dir.File("keyshift.yaml");

    public static async Task<PostgresRotation> CreateAsync(TempDir dir, string cutover = "{ dualRun: 0s, quietWindow: 3s, approvals: 0 }", string issuerExtra = "", string? probes = "[{ type: postgres }]")
    {
        var account = TestServers.Unique("app");
        var password = Canary.New("pg");
        await PostgresIssuerTests.ExecAsync($"CREATE ROLE {PgQuote.Identifier(account)} LOGIN PASSWORD {PgQuote.Literal(password)}");
        dir.Write("legacy/.env", $"DB_HOST=127.0.0.1\nDB_PASSWORD={password}\n");
        dir.Write("keyshift.yaml", $$"""
            version: 1
            name: rotate
            mode: credential-replacement
            stores:
              legacy: { type: dotenv, path: legacy/.env }
              governed: { type: json, path: governed/secrets.json }
            issuers:
              db: { type: postgres, host: {{TestServers.PgHost}}, port: {{TestServers.PgPort}}, database: postgres, admin: env:KEYSHIFT_TEST_PG_ADMIN_URL, sslmode: disable{{issuerExtra}} }
            moves:
              - from: legacy:DB_PASSWORD
                to: governed:app/db
                issuer: db
                account: {{account}}
                {{(probes is null ? "# no probes" : "probes: " + probes)}}
            cutover: {{cutover}}
            """);
        return new PostgresRotation(dir, account, password);
    }

    /// <summary>The field Keyshift wrote to <c>governed:app/db</c>, or null.</summary>
    public string? Target(string field)
    {
        var path = Dir.File("governed/secrets.json");
        if (!File.Exists(path))
            return null;
        var root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        return root.TryGetProperty("app", out var app) && app.TryGetProperty("db", out var db) && db.TryGetProperty(field, out var value) ? value.GetString() : null;
    }

    public static async Task<NpgsqlConnection> ConnectAsync(string user, string password)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = TestServers.PgHost, Port = TestServers.PgPort, Database = "postgres", SslMode = SslMode.Disable, Pooling = false, Username = user, Password = password,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    /// <summary>The SQLSTATE the server answers a login with, or null when it is accepted.</summary>
    public static async Task<string?> LoginAsync(string user, string password)
    {
        try
        {
            await using var connection = await ConnectAsync(user, password);
            return null;
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
    }

    /// <summary>Logins (roles that can log in) whose name is this account or one of its issued roles.</summary>
    public async Task<List<(string Name, bool CanLogin)>> RolesAsync()
    {
        await using var connection = await PostgresIssuerTests.AdminAsync();
        await using var command = new NpgsqlCommand("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = @a OR starts_with(rolname, @p) ORDER BY rolname", connection);
        command.Parameters.AddWithValue("a", Account);
        command.Parameters.AddWithValue("p", Account + "_ks_");
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var roles = new List<(string, bool)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            roles.Add((reader.GetString(0), reader.GetBoolean(1)));
        return roles;
    }
}
