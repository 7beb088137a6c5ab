using Keyshift.Configuration;
using Keyshift.Telemetry;
using Npgsql;

namespace Keyshift.Issuers.Postgres;

/// <summary>
/// PostgreSQL roles. <c>alternating-users</c> issues a second role (<c>{account}_ks_{hash of token}</c>) with the
/// grants, memberships and settings of the login in use, so old and new work side by side; retiring sets the
/// old one <c>NOLOGIN</c>, ends its sessions and optionally drops it. <c>single-user</c> sets a new password on the
/// same role (no dual-run). Passwords reach the server only as SCRAM-SHA-256 verifiers.
/// </summary>
public sealed class PostgresIssuer : Issuer
{
    private readonly PostgresAdmin _admin;

    public PostgresIssuer(string name, PostgresIssuerOptions options, CredentialResolver credentials)
        : base(name)
    {
        Options = options;
        _admin = new PostgresAdmin(name, options, credentials);
    }

    public PostgresIssuerOptions Options { get; }

    public override string Type => "postgres";

    public override IReadOnlyList<string> Fields => [Credential.Username, Credential.Password];

    public override bool SupportsDualRun => Options.Strategy == PostgresStrategy.AlternatingUsers;

    public override IReadOnlyList<string> Warnings => Options.Strategy == PostgresStrategy.SingleUser
        ? [$"issuer '{Name}' uses strategy single-user: the old password stops working the moment the new one is set, so there is no dual-run; consumers must switch at once"]
        : [];

    public override Endpoint? Endpoint => new(Options.Host ?? "127.0.0.1", Options.Port ?? 5432, Options.Database, TlsMode: Options.SslMode is { } m ? PostgresTls.Name(m) : null);

    /// <summary>Builds the issuer from <c>keyshift.yaml</c> (reports problems with file, line and field).</summary>
    public static Issuer? Create(IssuerContext context)
    {
        var s = context.Settings;
        s.AllowOnly("type", "host", "port", "database", "admin", "strategy", "allowSingleUser", "dropOld", "sslmode", "sslrootcert", "log", "timeout", "length", "alphabet");
        var admin = s.Credential("admin");
        if (admin is null && !s.Has("admin"))
            s.Error("admin", "is required: env:NAME, file:PATH or a store address holding a postgresql:// URI or an Npgsql connection string");
        var strategy = PostgresStrategy.AlternatingUsers;
        switch (s.String("strategy"))
        {
            case null or "alternating-users": break;
            case "single-user":
                strategy = PostgresStrategy.SingleUser;
                if (s.Bool("allowSingleUser") != true)
                    s.Error("strategy", "single-user has no dual-run (the old password stops working at once); set allowSingleUser: true to accept that");
                break;
            case var other:
                s.Error("strategy", $"'{other}' is not a strategy; expected alternating-users or single-user");
                break;
        }
        SslMode? ssl = null;
        if (s.String("sslmode") is { } sslText)
        {
            if (PostgresTls.TryParseMode(sslText, out var mode))
                ssl = mode;
            else
                s.Error("sslmode", $"'{sslText}' is not one of {PostgresTls.Modes}");
        }
        // PostgreSQL passwords may hold any character, but quotes and backslashes break consumers' connection strings.
        var passwords = PasswordGenerator.FromSettings(s, 32, PasswordGenerator.AlphaNumeric, forbidden: "'\"\\;");
        var options = new PostgresIssuerOptions
        {
            Host = s.String("host"),
            Port = s.Int("port", 1, 65535),
            Database = s.String("database"),
            Admin = admin ?? new CredentialReference("env", "?"),
            Strategy = strategy,
            DropOld = s.Bool("dropOld") ?? false,
            SslMode = ssl,
            RootCertificate = context.OptionalPath("sslrootcert"),
            Log = context.OptionalPath("log"),
            Timeout = s.Duration("timeout") ?? TimeSpan.FromSeconds(10),
            Passwords = passwords,
        };
        return new PostgresIssuer(context.Name, options, context.Credentials);
    }

    /// <summary>
    /// The role a request leads to: deterministic, at most 63 bytes. From the account itself, a new role named after the
    /// token; from a role issued earlier (a second rotation), back to the account itself.
    /// </summary>
    public string RoleFor(IssueRequest request) =>
        Options.Strategy == PostgresStrategy.SingleUser ? request.CurrentUsername
        : AlternatesBack(request) ? request.Account
        : PgQuote.RoleName(request.Account, "_ks_" + request.Token.ShortHash);

    private static bool AlternatesBack(IssueRequest request) => !string.Equals(request.CurrentUsername, request.Account, StringComparison.Ordinal);

    public override async ValueTask<CredentialDescriptor> PrepareAsync(IssueRequest request, CancellationToken cancellationToken)
    {
        const string step = "prepare";
        await using var connection = await _admin.OpenAsync(step, cancellationToken);
        var current = await RoleCloner.ReadAsync(connection, request.CurrentUsername, cancellationToken)
            ?? throw Fail(step, $"role '{request.CurrentUsername}' does not exist in {_admin.Database}");
        if (current.Superuser)
            throw Fail(step, $"role '{request.CurrentUsername}' is a superuser; Keyshift does not issue superuser logins (use a non-superuser application role)");
        var target = RoleFor(request);
        var pending = Pending(request, target);
        if (Options.Strategy == PostgresStrategy.AlternatingUsers)
        {
            // A dry run of the whole clone, rolled back: missing privileges are found before anything changes.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var existing = await RoleCloner.ReadAsync(connection, target, cancellationToken);
            var back = AlternatesBack(request);
            if (back && existing is { CanLogin: true })
                throw Fail(step, $"role '{target}' can still log in; alternating back to it would replace a password in use (retire the previous rotation first, which makes it NOLOGIN)");
            if (!back && existing is not null && existing.Comment != Marker(pending))
                throw Fail(step, $"role '{target}' already exists and was not created by Keyshift for this move; remove or rename it");
            try
            {
                if (existing is null)
                    await RoleCloner.CreateAsync(connection, request.CurrentUsername, current, target, DummyVerifier, Marker(pending), cancellationToken);
                else if (back)
                    await ReenableAsync(connection, request.CurrentUsername, target, DummyVerifier, cancellationToken);
            }
            catch (PostgresException e)
            {
                throw Fail(step, $"cannot clone role '{request.CurrentUsername}' as admin '{_admin.AdminUser}': {PostgresAdmin.Describe(e, await _admin.BuilderAsync(step, cancellationToken))}", e);
            }
            await transaction.RollbackAsync(cancellationToken);
        }
        return pending;
    }

    public override async ValueTask<Credential> IssueAsync(CredentialDescriptor pending, CancellationToken cancellationToken)
    {
        const string step = "issue";
        var target = pending.Username;
        var source = pending.Detail("source") ?? pending.Account;
        var password = Options.Passwords.Next();
        var verifier = ScramVerifier.Compute(password);
        await using var connection = await _admin.OpenAsync(step, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            if (Options.Strategy == PostgresStrategy.SingleUser)
            {
                _ = await RoleCloner.ReadAsync(connection, target, cancellationToken)
                    ?? throw Fail(step, $"role '{target}' does not exist in {_admin.Database}");
                await ExecuteAsync(connection, $"ALTER ROLE {PgQuote.Identifier(target)} LOGIN PASSWORD {PgQuote.Literal(verifier)}", cancellationToken);
            }
            else
            {
                var existing = await RoleCloner.ReadAsync(connection, target, cancellationToken);
                if (existing is null)
                {
                    var attributes = await RoleCloner.ReadAsync(connection, source, cancellationToken)
                        ?? throw Fail(step, $"role '{source}' (the login to clone) does not exist in {_admin.Database}");
                    await RoleCloner.CreateAsync(connection, source, attributes, target, verifier, Marker(pending), cancellationToken);
                }
                else if (pending.Detail("back") == "true")
                {
                    // Back to the account's own role (retired by the previous rotation): LOGIN again, a new password, the grants of the login in use.
                    await ReenableAsync(connection, source, target, verifier, cancellationToken);
                }
                else if (existing.Comment == Marker(pending))
                {
                    // An earlier attempt with this token created the role and stopped before its password was stored:
                    // reset the password (the old one was never kept) and top up the grants.
                    await ExecuteAsync(connection, $"ALTER ROLE {PgQuote.Identifier(target)} LOGIN PASSWORD {PgQuote.Literal(verifier)}", cancellationToken);
                    await RoleCloner.GrantAsync(connection, source, target, cancellationToken);
                }
                else
                {
                    throw Fail(step, $"role '{target}' already exists and was not created by Keyshift for this move; remove or rename it");
                }
            }
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            throw Fail(step, $"{PostgresAdmin.Describe(e, await _admin.BuilderAsync(step, cancellationToken))} (rolled back: nothing changed)", e);
        }
        return Credential.Login(pending, password);
    }

    public override async ValueTask RevokeAsync(Credential credential, CancellationToken cancellationToken)
    {
        const string step = "revoke";
        var descriptor = credential.Descriptor;
        var role = descriptor.Username;
        if (Options.Strategy == PostgresStrategy.SingleUser)
        {
            if (descriptor.Detail("token") is not null)
                throw Fail(step, $"strategy single-user cannot revoke the new password of role '{role}' without locking the account out; set the old password back by hand");
            return; // the old password stopped working when the new one was set
        }
        await using var connection = await _admin.OpenAsync(step, cancellationToken);
        if (string.Equals(role, _admin.AdminUser, StringComparison.Ordinal))
            throw Fail(step, $"refusing to revoke role '{role}': it is the admin login this issuer uses");
        var attributes = await RoleCloner.ReadAsync(connection, role, cancellationToken);
        if (attributes is null)
            return;
        try
        {
            // NOLOGIN first, so no new session can start while the existing ones are ended.
            await ExecuteAsync(connection, $"ALTER ROLE {PgQuote.Identifier(role)} NOLOGIN", cancellationToken);
        }
        catch (PostgresException e)
        {
            throw Fail(step, $"cannot revoke role '{role}': {PostgresAdmin.Describe(e, await _admin.BuilderAsync(step, cancellationToken))} (the role can still log in)", e);
        }
        try
        {
            await using var terminate = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = @role AND pid <> pg_backend_pid()", connection);
            terminate.Parameters.AddWithValue("role", role);
            await terminate.ExecuteScalarAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            throw Fail(step, $"role '{role}' is NOLOGIN, but its open sessions could not be ended: {e.MessageText} (grant the admin pg_signal_backend and run retire again)", e, changedNothing: false);
        }
        if (Options.DropOld)
            await DropAsync(connection, role, cancellationToken);
    }

    private async Task DropAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        const string step = "revoke (dropOld)";
        await using (var owned = new NpgsqlCommand(
            "SELECT count(*) FROM pg_shdepend WHERE refobjid = (SELECT oid FROM pg_roles WHERE rolname = @role) AND deptype = 'o'", connection))
        {
            owned.Parameters.AddWithValue("role", role);
            var count = (long)(await owned.ExecuteScalarAsync(cancellationToken))!;
            if (count > 0)
                throw Fail(step, $"role '{role}' is NOLOGIN and its sessions ended, but it owns {count} object(s) and was not dropped; REASSIGN OWNED BY it first", changedNothing: false);
        }
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // With nothing owned, DROP OWNED only removes the privileges granted to the role in this database.
            await ExecuteAsync(connection, $"DROP OWNED BY {PgQuote.Identifier(role)}", cancellationToken);
            await ExecuteAsync(connection, $"DROP ROLE {PgQuote.Identifier(role)}", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            throw Fail(step, $"role '{role}' is NOLOGIN and its sessions ended, but could not be dropped: {e.MessageText}", e, changedNothing: false);
        }
    }

    public override CredentialDescriptor Describe(string account, string username) =>
        CredentialDescriptor.Of(Name, account, username, ("strategy", StrategyName));

    /// <summary>Sessions by role from <c>pg_stat_activity</c>, and the connection log when <c>log:</c> names it.</summary>
    public override IReadOnlyList<TelemetrySource> TelemetrySources(TimeProvider time)
    {
        var sources = new List<TelemetrySource> { new PostgresActivitySource($"{Name}/pg_stat_activity", ct => _admin.OpenAsync("telemetry", ct).AsTask(), time) };
        if (Options.Log is not null)
            sources.Add(new PostgresLogSource($"{Name}/postgres-log", Options.Log, time));
        return sources;
    }

    private string StrategyName => Options.Strategy == PostgresStrategy.SingleUser ? "single-user" : "alternating-users";

    private CredentialDescriptor Pending(IssueRequest request, string target)
    {
        var pending = CredentialDescriptor.Of(Name, request.Account, target, ("strategy", StrategyName), ("token", request.Token.ShortHash), ("source", request.CurrentUsername));
        return Options.Strategy == PostgresStrategy.AlternatingUsers && AlternatesBack(request) ? pending.With("back", "true") : pending;
    }

    // A syntactically valid verifier no password matches: the dry run in prepare sets it inside a transaction it rolls back.
    private const string DummyVerifier = "SCRAM-SHA-256$4096:AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private static async Task ReenableAsync(NpgsqlConnection connection, string source, string target, string verifier, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, $"ALTER ROLE {PgQuote.Identifier(target)} LOGIN PASSWORD {PgQuote.Literal(verifier)}", cancellationToken);
        await RoleCloner.GrantAsync(connection, source, target, cancellationToken);
    }

    // Marks a role as Keyshift's for this issuer and token, so a resumed step recognises its own role and never adopts a stranger's.
    private string Marker(CredentialDescriptor pending) => $"keyshift: issuer {Name}, account {pending.Account}, token {pending.Detail("token")}";

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
