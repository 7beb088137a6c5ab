using Keyshift.Issuers.Postgres;

namespace Keyshift.Tests.Issuers.Postgres;

public sealed class PgQuoteTests
{
    [Theory]
    [InlineData("app", "\"app\"")]
    [InlineData("a\"b; DROP ROLE x", "\"a\"\"b; DROP ROLE x\"")]
    [InlineData("Mixed Case", "\"Mixed Case\"")]
    [InlineData("\"\"", "\"\"\"\"\"\"")]
    public void Identifier_QuotesAlways_AndDoublesQuotes(string name, string expected) => PgQuote.Identifier(name).ShouldBe(expected);

    [Fact]
    public void Identifier_RefusesNulAndEmpty()
    {
        Should.Throw<ArgumentException>(() => PgQuote.Identifier("a\0b"));
        Should.Throw<ArgumentException>(() => PgQuote.Identifier(""));
    }

    [Fact]
    public void Literal_DoublesSingleQuotes() => PgQuote.Literal("it's'; DROP TABLE x; --").ShouldBe("'it''s''; DROP TABLE x; --'");

    [Fact]
    public void RoleName_FitsIn63Bytes_CuttingOnCharacterBoundaries()
    {
        PgQuote.RoleName(new string('é', 60), "_ks_12345678").ShouldSatisfyAllConditions(
            n => System.Text.Encoding.UTF8.GetByteCount(n).ShouldBeLessThanOrEqualTo(63),
            n => n.ShouldEndWith("_ks_12345678"));
    }
}
