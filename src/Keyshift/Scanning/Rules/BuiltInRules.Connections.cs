using System.Buffers;
using System.Text.RegularExpressions;

namespace Keyshift.Scanning.Rules;

internal static partial class BuiltInRules
{
    private static readonly SearchValues<string> ConnectionStringContext = SearchValues.Create(
        ["server=", "data source=", "host=", "addr=", "address=", "user id=", "uid=", "username="], StringComparison.OrdinalIgnoreCase);

    private static Rule ConnectionUriPassword => new()
    {
        Id = "connection-uri-password",
        Description = "Password in a URL or connection URI (postgres, mysql, mongodb, redis, amqp, http…)",
        Keywords = ["://"],
        Pattern = ConnectionUriPasswordPattern(),
        Generic = true,
        // user:8080@host is a port, not a password.
        Accept = static (m, _, _) => !IsAllDigits(m.Groups["secret"].ValueSpan) || m.Groups["secret"].Length > 5,
        TruePositives =
        [
            "DATABASE_URL=postgres://payments:Tr0ub4dor-3xq@db.internal:5432/payments",
            "MONGO_URL=mongodb+srv://app:s8Kp2vQz9Lm@cluster0.mongodb.net/orders",
            new("""redis = Redis.from_url("rediss://:Zq7Rk2pLw9x@cache:6380/0")""", "cache.py"),
            "spring.rabbitmq.addresses=amqp://orders:9fKz2mQpL7@mq.internal:5672/prod",
            "url: mysql://root:h8Ws2kLq1Z@127.0.0.1:3306/shop",
        ],
        FalsePositives =
        [
            "DATABASE_URL=postgres://payments:${DB_PASSWORD}@db.internal:5432/payments",
            "DATABASE_URL=postgres://user:password@localhost:5432/db",
            "url: https://github.com/keyshift/keyshift",
            "proxy: http://proxy.internal:3128@corp",
            "DATABASE_URL=postgres://payments:@db/payments",
        ],
    };

    private static Rule JdbcPassword => new()
    {
        Id = "jdbc-password",
        Description = "Password in a JDBC URL",
        Keywords = ["jdbc:"],
        Pattern = JdbcPasswordPattern(),
        Generic = true,
        TruePositives = ["spring.datasource.url=jdbc:mysql://db.internal:3306/shop?user=shop&password=Vx9kQ2rLp7&useSSL=true"],
        FalsePositives = ["spring.datasource.url=jdbc:mysql://db.internal:3306/shop?user=shop&password=${SHOP_DB_PASSWORD}", "jdbc:postgresql://db/shop"],
    };

    private static Rule AdoConnectionString => new()
    {
        Id = "connection-string-password",
        Description = "Password in an ADO.NET / ODBC / SQL Server connection string",
        Keywords = ["password=", "password =", "pwd=", "pwd ="],
        Pattern = AdoConnectionStringPattern(),
        Anchored = true,
        Generic = true,
        Accept = static (_, window, _) => window.AsSpan().ContainsAny(ConnectionStringContext),
        TruePositives =
        [
            new("""{ "ConnectionStrings": { "Orders": "Server=sql.internal;Database=orders;User Id=orders;Password=Qm4#zLp9vR2;TrustServerCertificate=true" } }""", "appsettings.json"),
            new("""<add name="Legacy" connectionString="Data Source=sql01;Initial Catalog=legacy;UID=app;PWD=Kj8!wq2Lz0;" />""", "web.config"),
        ],
        FalsePositives =
        [
            new("""{ "ConnectionStrings": { "Orders": "Server=sql.internal;Database=orders;Integrated Security=true" } }""", "appsettings.json"),
            new("""{ "ConnectionStrings": { "Orders": "Server=sql.internal;User Id=orders;Password=<password>;" } }""", "appsettings.json"),
            new("""{ "ConnectionStrings": { "Orders": "Server=sql.internal;User Id=orders;Password=%DB_PASSWORD%;" } }""", "appsettings.json"),
        ],
    };

    private static bool IsAllDigits(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExceptInRange('0', '9');

    [GeneratedRegex("""(?i)(?<=[a-z][a-z0-9+.-]*)://(?<user>[^:/?#\s@"'`<>]*):(?<secret>[^@\s/?#"'`<>]{1,200})@""")]
    private static partial Regex ConnectionUriPasswordPattern();

    [GeneratedRegex("""(?i)jdbc:[a-z0-9:]+:[^\s"'<>]*?[?&;]password=(?<secret>[^&;\s"'<>]+)""")]
    private static partial Regex JdbcPasswordPattern();

    [GeneratedRegex("""(?i)\G(?<![\w.-])(?:password|pwd)[ \t]*=[ \t]*(?<secret>[^;"'\r\n<>]{1,200})""")]
    private static partial Regex AdoConnectionStringPattern();
}
