namespace Keyshift.Tests.Issuers;

/// <summary>
/// Connection facts of the real servers <c>test/servers.sh start</c> runs (through <c>.test-servers/env</c>).
/// A missing variable FAILS the test with instructions: a test never skips for a missing server.
/// </summary>
public static class TestServers
{
    public static string PgHost => Require("KEYSHIFT_TEST_PG_HOST");

    public static int PgPort => int.Parse(Require("KEYSHIFT_TEST_PG_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static string PgAdminUrl => Require("KEYSHIFT_TEST_PG_ADMIN_URL");

    public static string PgLog => Require("KEYSHIFT_TEST_PG_LOG");

    public static int RedisPort => int.Parse(Require("KEYSHIFT_TEST_REDIS_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static string RedisAdminPassword => Require("KEYSHIFT_TEST_REDIS_ADMIN_PASSWORD");

    public static int RabbitAmqpPort => int.Parse(Require("KEYSHIFT_TEST_RABBIT_AMQP_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static int RabbitMgmtPort => int.Parse(Require("KEYSHIFT_TEST_RABBIT_MGMT_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static string RabbitAdminUser => Require("KEYSHIFT_TEST_RABBIT_ADMIN_USER");

    public static string RabbitAdminPassword => Require("KEYSHIFT_TEST_RABBIT_ADMIN_PASSWORD");

    public static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: this test needs the real servers. Run ./test.sh, or `test/servers.sh start && . .test-servers/env` before dotnet test.");

    /// <summary>A short random suffix so parallel tests and repeated runs never share an account.</summary>
    public static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
