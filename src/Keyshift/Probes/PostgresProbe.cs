using Npgsql;
using Keyshift.Issuers;
using Keyshift.Issuers.Postgres;

namespace Keyshift.Probes;

/// <summary>
/// Opens a real PostgreSQL session with the credential (no pooling: every run authenticates) and runs
/// <c>SELECT 1</c> or the configured <c>query</c>. Authentication errors (28P01, 28000) mean refused.
/// </summary>
public sealed class PostgresProbe(string name, string host, int port, string database, Npgsql.SslMode sslMode, string? query, TimeSpan timeout) : Probe(name)
{
    public override string Type => "postgres";

    public static Probe Create(ProbeContext context)
    {
        var s = context.Settings;
        s.AllowOnly("type", "host", "port", "database", "sslmode", "query", "timeout", "expect");
        var host = context.Host("127.0.0.1");
        var ssl = PostgresTls.DefaultFor(host);
        if (s.String("sslmode") is { } text && !PostgresTls.TryParseMode(text, out ssl))
            s.Error("sslmode", $"'{text}' is not one of {PostgresTls.Modes}");
        else if (s.String("sslmode") is null && context.Issuer?.Endpoint?.TlsMode is { } issuerMode)
            PostgresTls.TryParseMode(issuerMode, out ssl);
        var database = s.String("database") ?? context.Issuer?.Endpoint?.Database ?? "postgres";
        return new PostgresProbe(context.Name, host, context.Port(5432), database, ssl, s.String("query"), context.Timeout);
    }

    protected override async ValueTask<(ProbeOutcome, string)> CheckAsync(Credential credential, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = host, Port = port, Database = database, SslMode = sslMode,
            Username = Require(credential, Credential.Username), Password = Require(credential, Credential.Password),
            Pooling = false, Timeout = Math.Max(1, (int)timeout.TotalSeconds), ApplicationName = "keyshift-probe",
        };
        var where = $"{host}:{port}/{database} as '{builder.Username}'";
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(query ?? "SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return (ProbeOutcome.Succeeded, $"connected to {where}");
        }
        catch (PostgresException e) when (e.SqlState is "28P01" or "28000")
        {
            return (ProbeOutcome.Refused, $"{where}: refused by the server ({e.SqlState}: {e.MessageText})");
        }
        catch (PostgresException e)
        {
            return (ProbeOutcome.Failed, $"{where}: {e.SqlState}: {e.MessageText}");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException)
        {
            return (ProbeOutcome.Unreachable, $"{where}: cannot reach the server ({e.GetBaseException().Message})");
        }
    }
}
