using Keyshift.Stores.Yaml;

namespace Keyshift.Tests.Stores.Yaml;

public sealed class YamlEditorTests
{
    private const string Realistic = """
        # Payments service configuration
        # (managed by hand; keep these comments)

        app:
          name: payments      # service name
          "quoted key": 'single quoted'
          replicas: 3

        database:
            host: db.internal   # four-space indentation here
            port: 5432
            # credentials below
            user: payments
            password: "old-password"

            # trailing comment inside database
        notes: |
          multi-line
          block scalar

          with a blank line
        tls:
          cert: |
            -----BEGIN CERTIFICATE-----
            MIIB
            -----END CERTIFICATE-----
          key: >-
            folded
            text
        empty:
        flow: {a: 1, b: two}
        list:
          - one
          - two # comment
        last: value # end

        """;

    private static string Edit(string text, Action<YamlEditor, YamlTextNode> edit)
    {
        var source = YamlText.Parse(text);
        var editor = new YamlEditor(source);
        edit(editor, source.Documents[0].Root!);
        var result = editor.Apply();
        YamlText.Parse(result);
        return result;
    }

    private static string? Value(string text, params string[] path)
    {
        YamlTextNode? node = YamlText.Parse(text).Documents[0].Root;
        foreach (var segment in path)
            node = node?.Find(segment)?.Value;
        return node?.Value;
    }

    [Fact]
    public void Update_ReplacesOnlyTheValueSpan_KeepingEverythingElseByteForByte()
    {
        var result = Edit(Realistic, (e, root) => e.Set(root, ["database", "password"], "new-password"));
        result.ShouldBe(Realistic.Replace("password: \"old-password\"", "password: new-password", StringComparison.Ordinal));
    }

    [Fact]
    public void Update_OfQuotedKeyAndCommentedValue_KeepsKeyQuotingAndComment()
    {
        var result = Edit(Realistic, (e, root) =>
        {
            e.Set(root, ["app", "quoted key"], "it's");
            e.Set(root, ["app", "name"], "billing");
        });
        result.ShouldBe(Realistic
            .Replace("'single quoted'", "\"it's\"", StringComparison.Ordinal)
            .Replace("name: payments      # service name", "name: billing      # service name", StringComparison.Ordinal));
    }

    [Fact]
    public void Insert_GoesAfterTheLastMember_AtTheMappingsOwnIndentation_BeforeTrailingComments()
    {
        var result = Edit(Realistic, (e, root) => e.Set(root, ["database", "token"], "abc"));
        result.ShouldBe(Realistic.Replace(
            "    password: \"old-password\"\n",
            "    password: \"old-password\"\n    token: abc\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Insert_UnderNewParents_AppendsNestedMappingsAtTheFilesIndentStep()
    {
        var result = Edit(Realistic, (e, root) =>
        {
            e.Set(root, ["services", "payments", "apiKey"], "k1");
            e.Set(root, ["services", "payments", "secret"], "k2");
            e.Set(root, ["services", "billing", "apiKey"], "k3");
        });
        result.ShouldBe(Realistic + "services:\n  payments:\n    apiKey: k1\n    secret: k2\n  billing:\n    apiKey: k3\n");
    }

    [Fact]
    public void Insert_IntoNestedAndParentAtTheSameOffset_KeepsEachUnderItsOwnMapping()
    {
        const string text = "outer:\n  inner:\n    x: 1\n";
        var result = Edit(text, (e, root) =>
        {
            e.Set(root, ["outer", "p"], "2");
            e.Set(root, ["outer", "inner", "q"], "3");
        });
        result.ShouldBe("outer:\n  inner:\n    x: 1\n    q: \"3\"\n  p: \"2\"\n");
    }

    [Fact]
    public void Insert_AfterABlockScalar_LeavesItsContentAlone()
    {
        var result = Edit(Realistic, (e, root) => e.Set(root, ["tls", "ca"], "c"));
        result.ShouldBe(Realistic.Replace("    folded\n    text\n", "    folded\n    text\n  ca: c\n", StringComparison.Ordinal));
        Value(result, "tls", "key").ShouldBe("folded text");
        Value(result, "tls", "cert").ShouldBe("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    }

    [Fact]
    public void Insert_IntoAKeepBlockScalarsParent_KeepsItsTrailingBlankLines()
    {
        const string text = "a:\n  s: |+\n    kept\n\n\nb: 1\n";
        var result = Edit(text, (e, root) => e.Set(root, ["a", "t"], "x"));
        result.ShouldBe("a:\n  s: |+\n    kept\n\n\n  t: x\nb: 1\n");
        Value(result, "a", "s").ShouldBe("kept\n\n\n");
    }

    [Fact]
    public void Delete_RemovesTheEntryLines_KeepingCommentsAroundIt()
    {
        var result = Edit(Realistic, (e, root) => e.Delete(root, ["database", "user"]));
        result.ShouldBe(Realistic.Replace("    user: payments\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Delete_OfAMultiLineBlockScalar_RemovesAllItsLines()
    {
        var result = Edit(Realistic, (e, root) => e.Delete(root, ["tls", "cert"]));
        result.ShouldBe(Realistic.Replace(
            "  cert: |\n    -----BEGIN CERTIFICATE-----\n    MIIB\n    -----END CERTIFICATE-----\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Delete_OfEveryKey_RemovesTheMappingsItLeavesEmpty()
    {
        var result = Edit(Realistic, (e, root) =>
        {
            e.Delete(root, ["app", "name"]);
            e.Delete(root, ["app", "quoted key"]);
            e.Delete(root, ["app", "replicas"]);
        });
        result.ShouldBe(Realistic.Replace(
            "app:\n  name: payments      # service name\n  \"quoted key\": 'single quoted'\n  replicas: 3\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Delete_OfTheOnlyLeaf_RemovesNestedEmptyMapsUpToTheFirstNonEmptyOne()
    {
        const string text = "# top\nkeep: 1\na:\n  # about b\n  b:\n    c:\n      d: 1\n  other: 2\n";
        var result = Edit(text, (e, root) => e.Delete(root, ["a", "b", "c", "d"]));
        result.ShouldBe("# top\nkeep: 1\na:\n  # about b\n  other: 2\n");
    }

    [Fact]
    public void Delete_OfTheLastLeafInTheFile_LeavesOnlyComments()
    {
        var result = Edit("# header\na:\n  b: 1\n", (e, root) => e.Delete(root, ["a", "b"]));
        result.ShouldBe("# header\n");
    }

    [Fact]
    public void Delete_ThenSet_InOneBatch_KeepsTheMapping()
    {
        var result = Edit("a:\n  b: 1\n", (e, root) =>
        {
            e.Delete(root, ["a", "b"]);
            e.Set(root, ["a", "c"], "x");
        });
        result.ShouldBe("a:\n  c: x\n");
    }

    [Fact]
    public void Delete_OfAMissingKey_ChangesNothing()
    {
        Edit(Realistic, (e, root) => e.Delete(root, ["database", "nope"])).ShouldBe(Realistic);
        Edit(Realistic, (e, root) => e.Delete(root, ["nowhere", "at", "all"])).ShouldBe(Realistic);
    }

    [Fact]
    public void Set_OnAnEmptyValue_TurnsItIntoAMapping()
    {
        var result = Edit(Realistic, (e, root) => e.Set(root, ["empty", "key"], "v"));
        result.ShouldBe(Realistic.Replace("empty:\n", "empty:\n  key: v\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Set_OnAnExplicitNull_ReplacesItWithAMapping()
    {
        Edit("data: null  # none yet\nx: 1\n", (e, root) => e.Set(root, ["data", "k"], "v"))
            .ShouldBe("data:  # none yet\n  k: v\nx: 1\n");
    }

    [Fact]
    public void Set_OnAnEmptyLeaf_WritesAfterTheColon()
    {
        Edit("a:\n  b:\n  c: 1\n", (e, root) => e.Set(root, ["a", "b"], "v")).ShouldBe("a:\n  b: v\n  c: 1\n");
    }

    [Fact]
    public void FlowMapping_GainsAndLosesKeys_StayingFlow()
    {
        Edit(Realistic, (e, root) => e.Set(root, ["flow", "c"], "x"))
            .ShouldBe(Realistic.Replace("{a: 1, b: two}", "{a: 1, b: two, c: x}", StringComparison.Ordinal));
        Edit(Realistic, (e, root) => e.Delete(root, ["flow", "a"]))
            .ShouldBe(Realistic.Replace("{a: 1, b: two}", "{b: two}", StringComparison.Ordinal));
        Edit(Realistic, (e, root) => e.Delete(root, ["flow", "b"]))
            .ShouldBe(Realistic.Replace("{a: 1, b: two}", "{a: 1}", StringComparison.Ordinal));
        Edit("m: {}\n", (e, root) => e.Set(root, ["m", "x", "z"], "v")).ShouldBe("m: {x: {z: v}}\n");
    }

    [Fact]
    public void UpdateOfABlockScalar_WritesAQuotedValue_AndKeepsTheNextLine()
    {
        var result = Edit(Realistic, (e, root) => e.Set(root, ["tls", "cert"], "line1\nline2\n"));
        result.ShouldBe(Realistic.Replace(
            "  cert: |\n    -----BEGIN CERTIFICATE-----\n    MIIB\n    -----END CERTIFICATE-----\n",
            "  cert: \"line1\\nline2\\n\"\n", StringComparison.Ordinal));
        Value(result, "tls", "cert").ShouldBe("line1\nline2\n");
    }

    [Fact]
    public void CrLfFile_GetsCrLfLines_AndKeepsTheRest()
    {
        const string text = "a:\r\n  b: 1 # c\r\n\r\nz: 2\r\n";
        Edit(text, (e, root) => e.Set(root, ["a", "c"], "x")).ShouldBe("a:\r\n  b: 1 # c\r\n  c: x\r\n\r\nz: 2\r\n");
        Edit(text, (e, root) => e.Delete(root, ["a", "b"])).ShouldBe("\r\nz: 2\r\n");
        Edit(text, (e, root) => e.Set(root, ["m", "k"], "v")).ShouldBe(text + "m:\r\n  k: v\r\n");
    }

    [Fact]
    public void FileWithoutFinalLineBreak_GetsOneBeforeTheNewLines()
    {
        Edit("a:\n  b: 1", (e, root) =>
        {
            e.Set(root, ["a", "c"], "2");
            e.Set(root, ["d", "e"], "3");
        }).ShouldBe("a:\n  b: 1\n  c: \"2\"\nd:\n  e: \"3\"\n");
    }

    [Fact]
    public void DocumentMarkers_AreKept()
    {
        const string text = "%YAML 1.2\n---\na:\n  b: 1\n...\n";
        Edit(text, (e, root) => e.Set(root, ["a", "c"], "2")).ShouldBe("%YAML 1.2\n---\na:\n  b: 1\n  c: \"2\"\n...\n");
    }

    [Fact]
    public void EmptyDocument_IsFilled_BeforeItsEndMarker()
    {
        var source = YamlText.Parse("--- # nothing yet\n...\n");
        var editor = new YamlEditor(source);
        editor.Fill(source.Documents[0]).Set(["a", "b"], 0, "c");
        editor.Apply().ShouldBe("--- # nothing yet\na:\n  b: c\n...\n");
    }

    [Fact]
    public void AppendedDocuments_AreSeparated_AndTheFirstOfAnEmptyFileIsNot()
    {
        var source = YamlText.Parse("kind: ConfigMap\n");
        var editor = new YamlEditor(source);
        editor.AppendDocument().Set(["kind"], 0, "Secret");
        editor.Apply().ShouldBe("kind: ConfigMap\n---\nkind: Secret\n");

        var empty = YamlText.Parse("# only a comment\n");
        var second = new YamlEditor(empty);
        second.AppendDocument().Set(["a"], 0, "b");
        second.Apply().ShouldBe("# only a comment\na: b\n");
    }

    [Theory]
    [InlineData("base: &b\n  x: 1\nuse: *b\n", "base", "x", "anchored")]
    [InlineData("a: &v 1\nb: *v\n", null, "a", "anchored")]
    [InlineData("base: &b\n  x: 1\nuse: *b\n", "use", "x", "an alias")]
    [InlineData("a: !vault 1\n", null, "a", "tag")]
    [InlineData("a: plain\n", "a", "x", "is a value, not a mapping")]
    [InlineData("a:\n  b: [1, 2]\n", "a", "b", "holds a sequence")]
    public void Edits_ThatWouldChangeMoreThanOneNode_AreRefusedWithLineAndColumn(string text, string? parent, string leaf, string reason)
    {
        string[] path = parent is null ? [leaf] : [parent, leaf];
        var e = Should.Throw<YamlEditException>(() => Edit(text, (editor, root) => editor.Set(root, path, "v")));
        e.Message.ShouldContain(reason);
        e.Line.ShouldBeGreaterThan(0);
        e.Column.ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData("a: 1\nb: [\n", 3, 1)]
    [InlineData("a:\n  b: 1\n c: 2\n", 3, 2)]
    [InlineData("a: \"unterminated\n", 1, 4)]
    [InlineData("a: 1\na: 2\n", 2, 1)]
    public void MalformedInput_ReportsLineAndColumn(string text, int line, int column)
    {
        var e = Should.Throw<YamlEditException>(() => YamlText.Parse(text));
        e.Message.ShouldStartWith("malformed YAML");
        (e.Line, e.Column).ShouldBe((line, column));
    }

    [Fact]
    public void NonUtf8Bytes_AreReportedWithLineAndColumn()
    {
        var e = Should.Throw<YamlEditException>(() => YamlText.FromBytes([.. "a: 1\nb: x"u8, 0xFF, .. "\n"u8]));
        (e.Line, e.Column).ShouldBe((2, 5));
    }

    [Fact]
    public void ByteOrderMark_IsKept()
    {
        var source = YamlText.FromBytes([0xEF, 0xBB, 0xBF, .. "a:\n  b: 1\n"u8]);
        var editor = new YamlEditor(source);
        editor.Set(source.Documents[0].Root!, ["a", "b"], "two");
        source.ToBytes(editor.Apply()).ShouldBe([0xEF, 0xBB, 0xBF, .. "a:\n  b: two\n"u8]);
    }
}
