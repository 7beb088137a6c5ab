using System.Text;
using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Stores.Dotenv;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Stores.Dotenv;

public sealed class DotenvStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DotenvStore Store() => new(SettingsFactory.Store(_dir.Path, "type: dotenv\npath: .env", name: "legacy"));

    private static SecretAddress At(string key) => new("legacy", key);

    private void WriteFile(string text) => File.WriteAllBytes(_dir.File(".env"), Encoding.UTF8.GetBytes(text));

    private string ReadFile() => Encoding.UTF8.GetString(File.ReadAllBytes(_dir.File(".env")));

    private async Task<string?> Read(string key)
    {
        var values = await Store().ReadAsync([At(key)], Ct);
        return values.TryGetValue(At(key), out var v) ? v.RevealUtf8() : null;
    }

    private Task Apply(params StoreChange[] changes) => Store().ApplyAsync(changes, Ct).AsTask();

    private static StoreChange Set(string key, string value) => StoreChange.Set(At(key), SecretValue.FromUtf8(value));

    [Fact]
    public async Task Read_ExportPrefix_IsAccepted()
    {
        WriteFile("export API_KEY=abc\nexport\tOTHER=def\n");
        (await Read("API_KEY")).ShouldBe("abc");
        (await Read("OTHER")).ShouldBe("def");
    }

    [Fact]
    public async Task Read_BlankAndCommentLines_AreSkipped()
    {
        WriteFile("# a comment\n\n   \n  # indented comment\nKEY=v\n");
        (await Store().ListAsync(Ct)).ShouldBe([At("KEY")]);
    }

    [Theory]
    [InlineData("KEY=  a b  ", "a b")]
    [InlineData("KEY=value # a comment", "value")]
    [InlineData("KEY=value\t# a comment", "value")]
    [InlineData("KEY=a#b", "a#b")]
    [InlineData("KEY=#starts", "#starts")]
    [InlineData("KEY= # only a comment", "")]
    [InlineData("KEY=with \"inner\" quotes", "with \"inner\" quotes")]
    [InlineData("KEY=back\\slash", "back\\slash")]
    public async Task Read_UnquotedValue_IsTrimmed_AndEndsAtBlankHash(string line, string expected)
    {
        WriteFile(line + "\n");
        (await Read("KEY")).ShouldBe(expected);
    }

    [Fact]
    public async Task Read_SingleQuotes_AreLiteral()
    {
        WriteFile("KEY='a\\nb $X \"q\" # not a comment'  # a comment\n");
        (await Read("KEY")).ShouldBe("a\\nb $X \"q\" # not a comment");
    }

    [Fact]
    public async Task Read_DoubleQuotes_HonourEscapes_AndSpanLines()
    {
        WriteFile("KEY=\"tab\\there \\\"q\\\" back\\\\slash cr\\r nl\\n\\x\nsecond line\"\nNEXT=1\n");
        (await Read("KEY")).ShouldBe("tab\there \"q\" back\\slash cr\r nl\n\\x\nsecond line");
        (await Read("NEXT")).ShouldBe("1");
    }

    [Fact]
    public async Task Read_MultiLineValueInCrlfFile_ReadsLineBreaksAsLf()
    {
        WriteFile("KEY=\"one\r\ntwo\"\r\nNEXT=1\r\n");
        (await Read("KEY")).ShouldBe("one\ntwo");
        (await Read("NEXT")).ShouldBe("1");
    }

    [Fact]
    public async Task Read_EqualsInsideValue_AndEmptyValue()
    {
        WriteFile("URL=postgres://u:p@h/db?sslmode=require&a=b\nEMPTY=\nSPACED = x\n");
        (await Read("URL")).ShouldBe("postgres://u:p@h/db?sslmode=require&a=b");
        (await Read("EMPTY")).ShouldBe("");
        (await Read("SPACED")).ShouldBe("x");
    }

    [Fact]
    public async Task Read_NothingIsInterpolated()
    {
        WriteFile("BASE=x\nA=${BASE}/y\nB=\"$BASE and ${BASE:-d}\"\n");
        (await Read("A")).ShouldBe("${BASE}/y");
        (await Read("B")).ShouldBe("$BASE and ${BASE:-d}");
    }

    [Fact]
    public async Task Read_DuplicateKey_IsBadInput_NamingBothLines()
    {
        WriteFile("# header\nDB_PASSWORD=one\nOTHER=x\n\nexport DB_PASSWORD=two\n");
        var e = await Should.ThrowAsync<StoreException>(async () => await Read("OTHER"));
        var file = _dir.File(".env");
        e.Message.ShouldContain($"{file}:5:");
        e.Message.ShouldContain($"{file}:2");
        e.Message.ShouldContain("DB_PASSWORD");
        e.Message.ShouldContain("legacy");
    }

    [Theory]
    [InlineData("OK=1\nNO_EQUALS_SIGN\n", 2)]
    [InlineData("OK=1\n\n1BAD=x\n", 3)]
    [InlineData("BAD KEY=x\n", 1)]
    [InlineData("OK=1\nOPEN=\"never closed\nMORE=2\n", 2)]
    [InlineData("OPEN='never closed\n", 1)]
    [InlineData("TRAILING=\"quoted\" junk\n", 1)]
    public async Task Read_MalformedLine_IsBadInput_NamingFileAndLine(string text, int line)
    {
        WriteFile(text);
        var e = await Should.ThrowAsync<StoreException>(async () => await Store().ListAsync(Ct));
        e.Message.ShouldStartWith($"{_dir.File(".env")}:{line}: store 'legacy':");
    }

    [Fact]
    public async Task MalformedFile_Error_NeverHoldsTheValue()
    {
        const string canary = "CANARY-9f2c1e77";
        WriteFile($"GOOD=1\n{canary}\nQ=\"{canary}\n");
        var e = await Should.ThrowAsync<StoreException>(async () => await Store().ListAsync(Ct));
        e.Message.ShouldNotContain(canary);
        WriteFile($"A={canary}\nA={canary}\n");
        e = await Should.ThrowAsync<StoreException>(async () => await Store().ListAsync(Ct));
        e.Message.ShouldNotContain(canary);
    }

    [Fact]
    public async Task MissingFile_ReadsAsEmpty_AndIsCreatedByTheFirstWrite()
    {
        (await Store().ListAsync(Ct)).ShouldBeEmpty();
        (await Read("KEY")).ShouldBeNull();
        await Apply(StoreChange.Delete(At("KEY")));
        File.Exists(_dir.File(".env")).ShouldBeFalse();
        await Apply(Set("KEY", "v"));
        ReadFile().ShouldBe("KEY=v\n");
    }

    [Fact]
    public async Task Rewrite_MessyCrlfFile_KeepsEveryUntouchedByte()
    {
        var original =
            "# Payments service\r\n" +
            "\r\n" +
            "export DB_HOST=db.internal   # primary\r\n" +
            "DB_PASSWORD='old pass'\r\n" +
            "  # indented note about the key below\r\n" +
            "PRIVATE_KEY=\"-----BEGIN KEY-----\r\n" +
            "abc\r\n" +
            "-----END KEY-----\"\r\n" +
            "STRIPE_KEY = sk_live_1\r\n" +
            "export  TOKEN=\"t\\n1\"  # keep me\r\n" +
            "\r\n" +
            "# trailing comment\r\n";
        WriteFile(original);

        await Apply(
            Set("TOKEN", "new token"),
            StoreChange.Delete(At("PRIVATE_KEY")),
            Set("DB_PASSWORD", "p@ss'word"),
            Set("ADDED", "plain"));

        ReadFile().ShouldBe(
            "# Payments service\r\n" +
            "\r\n" +
            "export DB_HOST=db.internal   # primary\r\n" +
            "DB_PASSWORD=\"p@ss'word\"\r\n" +
            "  # indented note about the key below\r\n" +
            "STRIPE_KEY = sk_live_1\r\n" +
            "export  TOKEN='new token'  # keep me\r\n" +
            "\r\n" +
            "# trailing comment\r\n" +
            "ADDED=plain\r\n");
        (await Read("TOKEN")).ShouldBe("new token");
        (await Read("DB_PASSWORD")).ShouldBe("p@ss'word");
        (await Read("PRIVATE_KEY")).ShouldBeNull();
    }

    [Fact]
    public async Task Update_KeepsExportPrefix_Position_AndInlineComment()
    {
        WriteFile("A=1\nexport B=2 # note\nC=3\n");
        await Apply(Set("B", "two"));
        ReadFile().ShouldBe("A=1\nexport B=two # note\nC=3\n");
    }

    [Fact]
    public async Task Update_OfQuotedValueFollowedByHashWithoutBlank_KeepsTheCommentAComment()
    {
        WriteFile("B=\"x\"# note\n");
        await Apply(Set("B", "y"));
        ReadFile().ShouldBe("B=y # note\n");
        (await Read("B")).ShouldBe("y");
    }

    [Fact]
    public async Task Append_ToFileWithoutTrailingNewline_KeepsThatConvention()
    {
        WriteFile("A=1");
        await Apply(Set("B", "2"), Set("C", "3"));
        ReadFile().ShouldBe("A=1\nB=2\nC=3");
    }

    [Fact]
    public async Task Delete_OfLastLineInFileWithoutTrailingNewline_KeepsThatConvention()
    {
        WriteFile("A=1\nB=2");
        await Apply(StoreChange.Delete(At("B")));
        ReadFile().ShouldBe("A=1");
    }

    [Fact]
    public async Task Delete_OfMultiLineValue_RemovesAllItsLines_AndKeepsComments()
    {
        WriteFile("# cert below\nCERT=\"line1\nline2\nline3\"\n# after\nNEXT=1\n");
        await Apply(StoreChange.Delete(At("CERT")));
        ReadFile().ShouldBe("# cert below\n# after\nNEXT=1\n");
    }

    [Fact]
    public async Task Batch_LastChangeToAKeyWins()
    {
        await Apply(Set("K", "first"), Set("OTHER", "o"), Set("K", "second"));
        ReadFile().ShouldBe("K=second\nOTHER=o\n");
        await Apply(Set("NEW", "n"), StoreChange.Delete(At("NEW")));
        ReadFile().ShouldBe("K=second\nOTHER=o\n");
    }

    [Theory]
    [InlineData("simple-Value_1.2:/+=@%", "simple-Value_1.2:/+=@%")]
    [InlineData("", "")]
    [InlineData("has space", "'has space'")]
    [InlineData("${NOT_INTERPOLATED}", "'${NOT_INTERPOLATED}'")]
    [InlineData("#hash", "'#hash'")]
    [InlineData("back\\slash", "'back\\slash'")]
    [InlineData("ünïcødé", "'ünïcødé'")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("two\nlines", "\"two\\nlines\"")]
    [InlineData("q\"'\\\t\r", "\"q\\\"'\\\\\\t\\r\"")]
    public async Task Write_ChoosesThePlainestQuoting(string value, string written)
    {
        await Apply(Set("K", value));
        ReadFile().ShouldBe($"K={written}\n");
        (await Read("K")).ShouldBe(value);
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0x00, 0x62 })]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    public async Task Write_OfValueADotenvFileCannotHold_IsRefused_NamingStoreAndAddress(byte[] bytes)
    {
        WriteFile("A=1\n");
        var e = await Should.ThrowAsync<StoreException>(async () =>
            await Apply(Set("OK", "fine"), StoreChange.Set(At("BLOB"), SecretValue.FromBytes(bytes))));
        e.Message.ShouldContain("legacy:BLOB");
        ReadFile().ShouldBe("A=1\n");
    }

    [Theory]
    [InlineData("legacy", "bad key")]
    [InlineData("legacy", "1STARTS_WITH_DIGIT")]
    [InlineData("other", "KEY")]
    public async Task Apply_WithAnAddressTheStoreCannotHold_ChangesNothing(string store, string key)
    {
        WriteFile("A=1\n");
        await Should.ThrowAsync<StoreException>(async () =>
            await Store().ApplyAsync([Set("B", "2"), StoreChange.Set(new SecretAddress(store, key), SecretValue.FromUtf8("x"))], Ct));
        ReadFile().ShouldBe("A=1\n");
    }

    [Fact]
    public void Load_ExposesEveryEntryWithItsLines()
    {
        WriteFile("# c\nA=1\nexport B=\"x\ny\"\nC=3\n");
        var file = Store().Load();
        file.Entries.Select(e => (e.Key, e.Line, e.EndLine, e.HasExport)).ShouldBe([("A", 2, 2, false), ("B", 3, 4, true), ("C", 5, 5, false)]);
        file.Locate(file.Find("C")!).ShouldBe($"{_dir.File(".env")}:5");
        file.ValueOf(file.Find("B")!).RevealUtf8().ShouldBe("x\ny");
    }

    [Fact]
    public async Task Read_FileWithByteOrderMark_KeepsTheMarkOnRewrite()
    {
        File.WriteAllBytes(_dir.File(".env"), [0xEF, 0xBB, 0xBF, .. "A=1\n"u8]);
        (await Read("A")).ShouldBe("1");
        await Apply(Set("A", "2"));
        File.ReadAllBytes(_dir.File(".env")).ShouldBe([0xEF, 0xBB, 0xBF, .. "A=2\n"u8]);
    }

    public void Dispose() => _dir.Dispose();
}
