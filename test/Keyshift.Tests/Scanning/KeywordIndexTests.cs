using Keyshift.Scanning.Rules;

namespace Keyshift.Tests.Scanning;

/// <summary>The keyword index against the plain definition: a keyword starts at i when text[i..] starts with it, ignoring case ordinally.</summary>
public sealed class KeywordIndexTests
{
    private static readonly string[] Keywords = ["password", "pass", "pwd", "${", "$", "Q~", "secretKeyRef", "sk_live_", "://", "AKIA", "token"];

    [Fact]
    public void Next_FindsExactlyThePositionsWhereAKeywordStarts_InRandomText()
    {
        var index = new KeywordIndex(Keywords);
        var random = new Random(4);
        // Keyword pieces, other ASCII, and characters that fold to ASCII letters (Kelvin sign, long s) or not at all.
        string[] pieces = [.. Keywords, "PASSWORD", "Token", "sk_LIVE_", "x", " ", "\n", "\u212A", "\u017Fecret", "\u017F", "é", "中", "p", "pa", "q", "~", "{", "["];
        for (var round = 0; round < 300; round++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => pieces[random.Next(pieces.Length)]));
            var expected = Enumerable.Range(0, text.Length)
                .Where(i => Keywords.Any(k => text.AsSpan(i).StartsWith(k, StringComparison.OrdinalIgnoreCase))).ToList();

            var found = new List<int>();
            for (var at = index.Next(text, 0, text.Length, out _); at >= 0; at = index.Next(text, at + 1, text.Length, out _))
                found.Add(at);

            found.ShouldBe(expected, $"text: {text}");
        }
    }

    [Fact]
    public void Next_IgnoresAKeywordThatRunsPastTheEnd()
    {
        var index = new KeywordIndex(Keywords);
        index.Next("my password", 0, 6, out _).ShouldBe(-1);
        index.Next("my password", 0, 7, out _).ShouldBe(3);
    }

    [Theory]
    [InlineData("x \u017Fecret")]
    [InlineData("\u212Aey")]
    [InlineData("SECRET \u00E9 key")]
    public void Next_FoldsCaseAsOrdinalIgnoreCaseDoes(string text)
    {
        string[] keywords = ["secret", "key"];
        var expected = Enumerable.Range(0, text.Length)
            .FirstOrDefault(i => keywords.Any(k => text.AsSpan(i).StartsWith(k, StringComparison.OrdinalIgnoreCase)), -1);

        new KeywordIndex(keywords).Next(text, 0, text.Length, out _).ShouldBe(expected);
    }
}
