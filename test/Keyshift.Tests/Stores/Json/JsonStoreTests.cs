using System.Text;
using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Stores.Json;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Stores.Json;

public sealed class JsonStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private JsonStore Store() => new(SettingsFactory.Store(_dir.Path, "type: json\npath: app.json", name: "cfg"));

    private static SecretAddress At(string address) => SecretAddress.Parse("cfg:" + address);

    private void WriteFile(string text) => File.WriteAllBytes(_dir.File("app.json"), Encoding.UTF8.GetBytes(text));

    private string ReadFile() => Encoding.UTF8.GetString(File.ReadAllBytes(_dir.File("app.json")));

    private async Task<string?> Read(string address)
    {
        var values = await Store().ReadAsync([At(address)], Ct);
        return values.TryGetValue(At(address), out var v) ? v.RevealUtf8() : null;
    }

    private Task Apply(params StoreChange[] changes) => Store().ApplyAsync(changes, Ct).AsTask();

    private static StoreChange Set(string address, string value) => StoreChange.Set(At(address), SecretValue.FromUtf8(value));

    private static StoreChange Delete(string address) => StoreChange.Delete(At(address));

    [Fact]
    public async Task Update_KeepsOddIndentation_Comments_AndUnicodeEscapes_ByteForByte()
    {
        const string before = "{\r\n" +
            "   // database settings\r\n" +
            "   \"db\" :{ \"host\":\"caf\\u00e9.internal\",\r\n" +
            "\t\t\"password\" : \"old\" , /* rotated monthly */\r\n" +
            "\t\t\"port\": 5432,\r\n" +
            "   },\r\n" +
            "   \"emoji\": \"\\ud83d\\ude00\"\r\n" +
            "}";
        WriteFile(before);
        await Apply(Set("db#password", "n\"ew"));
        ReadFile().ShouldBe(before.Replace("\"old\"", "\"n\\\"ew\"", StringComparison.Ordinal));
        (await Read("db#host")).ShouldBe("café.internal");
        (await Read("db#password")).ShouldBe("n\"ew");
    }

    [Fact]
    public async Task Read_AcceptsCommentsAndTrailingCommas_AndDecodesEscapes()
    {
        WriteFile("/* top */ {\"a\": {\"s\": \"line\\nnext \\u00e9 \\ud83d\\ude00 \\\"q\\\"\", // c\n \"n\": 12.50, \"b\": true, \"z\": null, \"l\": [1, \"x\"],},}");
        (await Read("a#s")).ShouldBe("line\nnext é 😀 \"q\"");
        (await Read("a#n")).ShouldBe("12.50");
        (await Read("a#b")).ShouldBe("true");
        (await Read("a#z")).ShouldBe("null");
        (await Read("a#l")).ShouldBe("[1, \"x\"]");
        (await Store().ListAsync(Ct)).Select(a => a.ToString()).ShouldBe(["cfg:a#s", "cfg:a#n", "cfg:a#b", "cfg:a#z", "cfg:a#l"]);
    }

    [Fact]
    public async Task Read_MemberWithEscapedName_IsAddressedByItsText()
    {
        WriteFile("{\"caf\\u00e9\": {\"k\\/1\": \"v\"}}");
        (await Read("café#k/1")).ShouldBe("v");
    }

    [Fact]
    public async Task List_SkipsTopLevelLeaves_AndNamesNoAddressCanHold()
    {
        WriteFile("{\"TOP\": \"x\", \"a\": {\"k\": \"1\", \"h#sh\": \"2\", \"s/l\": {\"k\": \"3\"}, \"b\": {\"c\": {\"k\": \"4\"}}}}");
        (await Store().ListAsync(Ct)).Select(a => a.ToString()).ShouldBe(["cfg:a#k", "cfg:a/b/c#k"]);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("a//b#k")]
    [InlineData("/a#k")]
    [InlineData("a/#k")]
    public async Task Apply_WithAddressTheStoreCannotHold_IsRefused_AndChangesNothing(string address)
    {
        WriteFile("{\"a\": {\"k\": \"1\"}}");
        await Should.ThrowAsync<StoreException>(async () => await Apply(Set("a#new", "n"), Set(address, "x")));
        ReadFile().ShouldBe("{\"a\": {\"k\": \"1\"}}");
    }

    [Fact]
    public async Task Insert_IntoPrettyObject_FollowsItsIndentation()
    {
        WriteFile("{\n    \"app\": {\n        \"a\": \"1\"\n    }\n}\n");
        await Apply(Set("app#b", "2"), Set("app/nested#c", "3"));
        ReadFile().ShouldBe("{\n    \"app\": {\n        \"a\": \"1\",\n        \"b\": \"2\",\n        \"nested\": {\n            \"c\": \"3\"\n        }\n    }\n}\n");
    }

    [Fact]
    public async Task Insert_IntoCompactObject_StaysCompact()
    {
        WriteFile("{\"app\":{\"a\":\"1\",\"b\":\"2\"}, \"other\": {\"x\": \"y\"}}");
        await Apply(Set("app#c", "3"), Set("app/n#d", "4"), Set("other#z", "w"));
        ReadFile().ShouldBe("{\"app\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\",\"n\":{\"d\":\"4\"}}, \"other\": {\"x\": \"y\", \"z\": \"w\"}}");
    }

    [Fact]
    public async Task Insert_WithTabIndentation_UsesTabs()
    {
        WriteFile("{\n\t\"app\": {\n\t\t\"a\": \"1\"\n\t}\n}");
        await Apply(Set("new/deep#k", "v"));
        ReadFile().ShouldBe("{\n\t\"app\": {\n\t\t\"a\": \"1\"\n\t},\n\t\"new\": {\n\t\t\"deep\": {\n\t\t\t\"k\": \"v\"\n\t\t}\n\t}\n}");
    }

    [Fact]
    public async Task Write_ToMissingFile_CreatesWellIndentedJson()
    {
        await Apply(Set("payments/db#username", "app"), Set("payments/db#password", "pw"), Set("payments#region", "eu"));
        ReadFile().ShouldBe("{\n  \"payments\": {\n    \"db\": {\n      \"username\": \"app\",\n      \"password\": \"pw\"\n    },\n    \"region\": \"eu\"\n  }\n}\n");
    }

    [Fact]
    public async Task Insert_IntoEmptyObjects_IsIndented()
    {
        WriteFile("{\n  \"app\": {}\n}\n");
        await Apply(Set("app#k", "v"));
        ReadFile().ShouldBe("{\n  \"app\": {\n    \"k\": \"v\"\n  }\n}\n");
        WriteFile("{}");
        await Apply(Set("app#k", "v"));
        ReadFile().ShouldBe("{\n  \"app\": {\n    \"k\": \"v\"\n  }\n}");
    }

    [Theory]
    [InlineData("a", "{\"s\":{\"b\":\"2\",\"c\":\"3\"}}")]
    [InlineData("b", "{\"s\":{\"a\":\"1\",\"c\":\"3\"}}")]
    [InlineData("c", "{\"s\":{\"a\":\"1\",\"b\":\"2\"}}")]
    public async Task Delete_FromCompactObject_RemovesMemberAndItsComma(string key, string after)
    {
        WriteFile("{\"s\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}}");
        await Apply(Delete("s#" + key));
        ReadFile().ShouldBe(after);
    }

    [Fact]
    public async Task Delete_FromPrettyObject_KeepsComments()
    {
        WriteFile("{\n  \"s\": {\n    \"a\": \"1\", // about a\n    // about b\n    \"b\": \"2\",\n    \"c\": \"3\" /* about c */\n  }\n}\n");
        await Apply(Delete("s#b"));
        ReadFile().ShouldBe("{\n  \"s\": {\n    \"a\": \"1\", // about a\n    // about b\n    \"c\": \"3\" /* about c */\n  }\n}\n");
        await Apply(Delete("s#c"));
        // A comment after the last member's value stays, now after the member before it.
        ReadFile().ShouldBe("{\n  \"s\": {\n    \"a\": \"1\" // about a\n    // about b /* about c */\n  }\n}\n");
    }

    [Fact]
    public async Task Delete_OfTrailingMembers_KeepsTheRestValid()
    {
        WriteFile("{\"s\": {\"a\": \"1\", \"b\": \"2\", \"c\": \"3\",}}");
        await Apply(Delete("s#b"), Delete("s#c"));
        ReadFile().ShouldBe("{\"s\": {\"a\": \"1\"}}");
    }

    [Fact]
    public async Task Delete_LeavingMapsEmpty_RemovesThem()
    {
        WriteFile("{\n  \"keep\": {\"k\": \"1\"},\n  \"a\": {\n    \"b\": {\n      \"c\": {\"x\": \"1\", \"y\": \"2\"}\n    },\n    \"other\": {}\n  }\n}\n");
        await Apply(Delete("a/b/c#x"), Delete("a/b/c#y"));
        ReadFile().ShouldBe("{\n  \"keep\": {\"k\": \"1\"},\n  \"a\": {\n    \"other\": {}\n  }\n}\n");
        await Apply(Delete("keep#k"));
        ReadFile().ShouldBe("{\n  \"a\": {\n    \"other\": {}\n  }\n}\n");
    }

    [Fact]
    public async Task Delete_OfTheLastLeafInTheFile_LeavesAnEmptyObject()
    {
        WriteFile("{\n  \"a\": {\"b\": {\"k\": \"v\"}}\n}\n");
        await Apply(Delete("a/b#k"));
        ReadFile().ShouldBe("{}\n");
    }

    [Fact]
    public async Task Delete_AndInsert_InTheSameObject()
    {
        WriteFile("{\n  \"s\": {\n    \"a\": \"1\",\n    \"b\": \"2\"\n  }\n}");
        await Apply(Delete("s#b"), Set("s#c", "3"), Set("s#d", "4"));
        ReadFile().ShouldBe("{\n  \"s\": {\n    \"a\": \"1\",\n    \"c\": \"3\",\n    \"d\": \"4\"\n  }\n}");
        await Apply(Delete("s#a"), Delete("s#c"), Delete("s#d"), Set("s#e", "5"));
        ReadFile().ShouldBe("{\n  \"s\": {\n    \"e\": \"5\"\n  }\n}");
    }

    [Fact]
    public async Task Write_OverNonStringLeaf_WritesAString()
    {
        WriteFile("{\"s\": {\"port\": 5432}}");
        await Apply(Set("s#port", "6543"));
        ReadFile().ShouldBe("{\"s\": {\"port\": \"6543\"}}");
    }

    [Fact]
    public async Task Write_OntoAMap_OrThroughALeaf_IsRefused_AndChangesNothing()
    {
        const string text = "{\"s\": {\"map\": {\"k\": \"v\"}, \"leaf\": \"x\"}}";
        WriteFile(text);
        var e = await Should.ThrowAsync<StoreException>(async () => await Apply(Set("s#new", "1"), Set("s#map", "2")));
        e.Message.ShouldContain("cfg:s#map");
        e = await Should.ThrowAsync<StoreException>(async () => await Apply(Set("s/leaf#k", "3")));
        e.Message.ShouldContain("cfg:s/leaf#k");
        ReadFile().ShouldBe(text);
    }

    [Theory]
    [InlineData("{\n  \"a\": {\n    \"k\": \"v\",\n    \"x\": oops\n  }\n}", 4, 10)]
    [InlineData("{\n  \"a\": {\"k\": \"v\"\n", 3, 1)]
    [InlineData("{\"a\": {}} trailing", 1, 11)]
    public async Task MalformedFile_IsBadInput_NamingLineAndColumn(string text, int line, int column)
    {
        WriteFile(text);
        var e = await Should.ThrowAsync<StoreException>(async () => await Store().ListAsync(Ct));
        e.Message.ShouldStartWith($"{_dir.File("app.json")}:{line}:{column}: store 'cfg':");
        await Should.ThrowAsync<StoreException>(async () => await Apply(Set("a#k", "x")));
        ReadFile().ShouldBe(text);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    public async Task TopLevelThatIsNotAnObject_IsBadInput(string text)
    {
        WriteFile(text);
        var e = await Should.ThrowAsync<StoreException>(async () => await Store().ListAsync(Ct));
        e.Message.ShouldContain("must be a JSON object");
    }

    [Fact]
    public async Task DuplicateMember_IsBadInput_NamingBothLines()
    {
        WriteFile("{\n  \"a\": {\n    \"k\": \"1\",\n    \"k\": \"2\"\n  }\n}");
        var e = await Should.ThrowAsync<StoreException>(async () => await Store().ListAsync(Ct));
        var file = _dir.File("app.json");
        e.Message.ShouldStartWith($"{file}:4:");
        e.Message.ShouldContain($"{file}:3");
    }

    [Fact]
    public async Task Errors_NeverHoldValues()
    {
        const string canary = "CANARY-41d0b3c2";
        WriteFile($"{{\"a\": {{\"k\": \"{canary}\", \"x\": {canary}}}}}");
        var e = await Should.ThrowAsync<StoreException>(async () => await Store().ListAsync(Ct));
        e.Message.ShouldNotContain(canary);
        e.Message.ShouldNotContain("CANARY");
    }

    [Fact]
    public void Load_ExposesMembersWithTheirLines()
    {
        WriteFile("{\n  \"a\": {\n    \"k\": \"v\"\n  }\n}");
        var file = Store().Load();
        var member = file.Find(["a"], "k")!;
        file.Locate(member).ShouldBe($"{_dir.File("app.json")}:3");
        file.ValueOf(member).RevealUtf8().ShouldBe("v");
    }

    [Fact]
    public async Task Batch_LastChangeToAnAddressWins_AndAWriteUndoneInTheBatchLeavesNoTrace()
    {
        await Apply(Set("a#k", "1"), Set("a#k", "2"), Set("gone/x#k", "3"), Delete("gone/x#k"));
        ReadFile().ShouldBe("{\n  \"a\": {\n    \"k\": \"2\"\n  }\n}\n");
        await Apply(Set("b#k", "1"), Delete("b#k"), Delete("a#absent"), Delete("none/at#all"));
        ReadFile().ShouldBe("{\n  \"a\": {\n    \"k\": \"2\"\n  }\n}\n");
    }

    [Fact]
    public async Task Batch_OfDeletesOnMissingFile_CreatesNoFile()
    {
        await Apply(Delete("a#k"));
        File.Exists(_dir.File("app.json")).ShouldBeFalse();
    }

    [Fact]
    public async Task FileWithByteOrderMark_IsReadAndKeepsTheMark()
    {
        File.WriteAllBytes(_dir.File("app.json"), [0xEF, 0xBB, 0xBF, .. "{\"a\": {\"k\": \"1\"}}"u8]);
        (await Read("a#k")).ShouldBe("1");
        await Apply(Set("a#k", "2"));
        File.ReadAllBytes(_dir.File("app.json")).ShouldBe([0xEF, 0xBB, 0xBF, .. "{\"a\": {\"k\": \"2\"}}"u8]);
    }

    [Fact]
    public async Task Write_OfControlCharacters_IsEscaped_AndRoundTrips()
    {
        await Apply(Set("a#k", "nul\u0000 bell\u0007 \"q\" \\ \b\f"));
        ReadFile().ShouldContain("\"nul\\u0000 bell\\u0007 \\\"q\\\" \\\\ \\b\\f\"");
        (await Read("a#k")).ShouldBe("nul\u0000 bell\u0007 \"q\" \\ \b\f");
    }

    public void Dispose() => _dir.Dispose();
}
