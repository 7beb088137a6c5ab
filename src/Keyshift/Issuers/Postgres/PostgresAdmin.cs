using System.Net.Sockets;
using Npgsql;

namespace Keyshift.Issuers.Postgres;

/// <summary>
/// Opens the issuer's admin connections and turns driver failures into messages that name the issuer and
/// step (unreachable, admin refused, missing privilege) without a secret in them.
/// </summary>
internal sealed class PostgresAdmin(string issuer, PostgresIssuerOptions options, CredentialResolver credentials)
{
    private NpgsqlConnectionStringBuilder? _builder;

    public async ValueTask<NpgsqlConnectionStringBuilder> BuilderAsync(string step, CancellationToken cancellationToken)
    {
        if (_builder is not null)
            return _builder;
        var value = await credentials.ResolveAsync(options.Admin, $"issuer '{issuer}' (postgres): {step}", "admin", cancellationToken);
        var text = value.RevealUtf8();
        var builder = PostgresConnectionText.TryParse(text, out var problem)
            ?? throw new IssuerException($"issuer '{issuer}' (postgres): {step}: admin ({options.Admin}) {problem}");
        var explicitSsl = text.Contains("sslmode", StringComparison.OrdinalIgnoreCase) || text.Contains("ssl mode", StringComparison.OrdinalIgnoreCase);
        if (options.Host is not null)
            builder.Host = options.Host;
        if (options.Port is not null)
            builder.Port = options.Port.Value;
        if (options.Database is not null)
            builder.Database = options.Database;
        if (options.SslMode is not null)
            builder.SslMode = options.SslMode.Value;
        else if (!explicitSsl)
            builder.SslMode = PostgresTls.DefaultFor(builder.Host ?? "localhost");
        if (options.RootCertificate is not null)
            builder.RootCertificate = options.RootCertificate;
        builder.Timeout = (int)Math.Ceiling(options.Timeout.TotalSeconds);
        builder.ApplicationName ??= "keyshift";
        _builder = builder;
        return builder;
    }

    public string AdminUser => _builder?.Username ?? "";

    public string Database => _builder?.Database ?? "postgres";

    public async ValueTask<NpgsqlConnection> OpenAsync(string step, CancellationToken cancellationToken)
    {
        var builder = await BuilderAsync(step, cancellationToken);
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or PostgresException or TimeoutException or SocketException)
        {
            await connection.DisposeAsync();
            throw new IssuerException($"issuer '{issuer}' (postgres): {step}: {Describe(e, builder)}", e);
        }
    }

    /// <summary>A failure described for people; never includes the connection string.</summary>
    public static string Describe(Exception e, NpgsqlConnectionStringBuilder builder) => e switch
    {
        PostgresException { SqlState: "28P01" } => $"the server at {builder.Host}:{builder.Port} refused the admin credentials for user '{builder.Username}' (password authentication failed)",
        PostgresException { SqlState: "28000" } => $"the server at {builder.Host}:{builder.Port} refused user '{builder.Username}' (no pg_hba.conf entry or role cannot log in)",
        PostgresException { SqlState: "3D000" } => $"database '{builder.Database}' does not exist on {builder.Host}:{builder.Port}",
        PostgresException { SqlState: "42501" } p => $"insufficient privilege: {p.MessageText}",
        PostgresException p => $"{p.SqlState}: {p.MessageText}",
        _ when Unreachable(e) => $"cannot reach {builder.Host}:{builder.Port} ({Root(e).Message})",
        _ => Root(e).Message,
    };

    public static bool Unreachable(Exception e) =>
        Root(e) is SocketException or TimeoutException || e is NpgsqlException { InnerException: SocketException or TimeoutException or IOException } || (e is NpgsqlException n && n.IsTransient);

    private static Exception Root(Exception e)
    {
        while (e.InnerException is not null && e is not PostgresException)
            e = e.InnerException;
        return e;
    }
}
