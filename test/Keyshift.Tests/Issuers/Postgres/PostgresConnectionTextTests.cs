using Keyshift.Issuers.Postgres;
using Npgsql;

namespace Keyshift.Tests.Issuers.Postgres;

public sealed class PostgresConnectionTextTests
{
    [Fact]
    public void Uri_IsParsed_WithEscapedPasswordAndSslMode()
    {
        var b = PostgresConnectionText.TryParse("postgresql://app%40x:p%40ss%3Aw0rd@db.internal:6543/payments?sslmode=verify-ca", out var problem)!;
        problem.ShouldBeNull();
        (b.Host, b.Port, b.Username, b.Password, b.Database, b.SslMode).ShouldBe(("db.internal", 6543, "app@x", "p@ss:w0rd", "payments", SslMode.VerifyCA));
    }

    [Fact]
    public void ConnectionString_IsParsed()
    {
        var b = PostgresConnectionText.TryParse("Host=h;Port=5433;Username=u;Password=secret;Database=d", out _)!;
        (b.Host, b.Port, b.Username, b.Database).ShouldBe(("h", 5433, "u", "d"));
    }

    [Theory]
    [InlineData("postgresql://host-only/db")]
    [InlineData("this is not=;;=a connection string")]
    [InlineData("postgresql://u:SECRETPW@h/db?unknown=1")]
    public void Garbage_IsRefused_WithoutQuotingTheInput(string text)
    {
        PostgresConnectionText.TryParse(text, out var problem).ShouldBeNull();
        problem.ShouldNotBeNull();
        problem.ShouldNotContain("SECRETPW");
    }

    [Fact]
    public void ScramVerifier_MatchesRfc7677Vector()
    {
        // RFC 7677 §3: user "user", password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations.
        var v = ScramVerifier.Compute(Keyshift.Secrets.SecretValue.FromUtf8("pencil"), Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        v.ShouldBe("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=");
    }
}
