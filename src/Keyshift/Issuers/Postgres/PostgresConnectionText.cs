using Npgsql;

namespace Keyshift.Issuers.Postgres;

/// <summary>
/// Reads an admin connection given as a PostgreSQL URI (<c>postgresql://user:password@host:port/db?sslmode=…</c>)
/// or an Npgsql connection string. Errors never repeat the text: it holds a password.
/// </summary>
public static class PostgresConnectionText
{
    /// <summary>The builder, or null and a reason that does not quote the input.</summary>
    public static NpgsqlConnectionStringBuilder? TryParse(string text, out string? problem)
    {
        problem = null;
        text = text.Trim();
        if (text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
            return FromUri(text, out problem);
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(text);
            if (string.IsNullOrEmpty(builder.Username))
            {
                problem = "the connection string has no Username";
                return null;
            }
            return builder;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            problem = "is neither a postgresql:// URI nor an Npgsql connection string (Host=…;Username=…;Password=…)";
            return null;
        }
    }

    private static NpgsqlConnectionStringBuilder? FromUri(string text, out string? problem)
    {
        problem = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            problem = "is not a valid postgresql:// URI (postgresql://user:password@host:port/database)";
            return null;
        }
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host.Trim('[', ']') };
        if (uri.Port > 0)
            builder.Port = uri.Port;
        var userInfo = uri.UserInfo;
        if (userInfo.Length == 0)
        {
            problem = "the URI names no user (postgresql://user:password@host/db)";
            return null;
        }
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        builder.Username = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
        if (colon >= 0)
            builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
            builder.Database = database;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            switch (key)
            {
                case "sslmode":
                    if (!PostgresTls.TryParseMode(value, out var mode))
                    {
                        problem = $"sslmode '{value}' is not one of {PostgresTls.Modes}";
                        return null;
                    }
                    builder.SslMode = mode;
                    break;
                case "sslrootcert":
                    builder.RootCertificate = value;
                    break;
                case "connect_timeout":
                    if (int.TryParse(value, out var seconds))
                        builder.Timeout = seconds;
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                default:
                    problem = $"the URI parameter '{key}' is not supported (sslmode, sslrootcert, connect_timeout, application_name)";
                    return null;
            }
        }
        return builder;
    }
}
