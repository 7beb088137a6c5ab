using System.Text;
using Keyshift.Apis.Documents;

namespace Keyshift.Tests.Apis;

/// <summary>
/// The fast block-YAML reader must build exactly the tree the general parser (YamlDotNet) builds — kinds, values,
/// key order and reported lines — or decline, never differ.
/// </summary>
public sealed class BlockYamlReaderTests
{
    public static TheoryData<string, string> InSubset => new()
    {
        { "scalars", "openapi: 3.0.3\ncount: 12\nratio: -1.5e3\nflag: true\noff: False\nnothing: ~\nempty:\nname: plain text, with commas and colons:inside\nurl: http://example.com:8080/a#frag\n" },
        { "quoted", "a: 'it''s'\nb: \"tab\\there \\\"q\\\" \\u00e9 \\x41 \\\\ \\/\"\nc: \"\"\nd: ''\n'quoted key': 1\n\"dq key\": 2\n" },
        { "comments", "# head\n\na: 1 # trailing\n  # indented comment\nb:   # comment after key\n  c: 2\n\n# tail\n" },
        { "nested", "paths:\n  /pets/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n          required: true\n        - $ref: '#/components/parameters/Limit'\n      responses:\n        '200':\n          description: ok\n" },
        { "sequence at key indent", "required:\n- id\n- name\ntags:\n  - a\n  -   b\nnext: 1\n" },
        { "flow", "required: [id, name, 'x y', \"z\"]\nenum: [1, 2.5, true, null]\nempty: []\nobj: {type: string, format: uuid, nested: {a: [1, 2]}}\nnone: {}\n" },
        { "literal", "a: |\n  line one\n    indented\n\n  line three\nb: |-\n  strip\n\n\nc: |+\n  keep\n\n\nd: x\n" },
        { "folded", "a: >\n  folded one\n  folded two\n\n  new paragraph\n\n\n  two breaks\nb: >-\n  strip\n  me\nc: x\n" },
        { "block scalar in sequence", "items:\n  - |\n    first\n  - >\n    second\n    part\n  - plain\n" },
        { "document start", "---\nopenapi: 3.1.0\n" },
        { "crlf", "a: 1\r\nb:\r\n  - x\r\n  - 'y'\r\nc: |\r\n  text\r\n" },
        { "sequence of mappings", "- a: 1\n  b: [x]\n- c:\n    d: 2\n- e\n" },
        { "item block below its dash", "params:\n  -\n    \"name\": \"limit\"\n    \"in\": query\n  -\n    - nested\n" },
        { "deep", "a:\n  b:\n    c:\n      d:\n        e:\n          f: [1]\n" },
        { "unicode", "title: Zahlungsübersicht — ünïcödé\nemoji: \"\\U0001F600\"\n" },
    };

    public static TheoryData<string, string> OutsideSubset => new()
    {
        { "anchor and alias", "a: &x {b: 1}\nc: *x\n" },
        { "tag", "a: !!str 12\n" },
        { "multi-line plain", "a: first\n  continued\n" },
        { "multi-line quoted", "a: \"first\n  second\"\n" },
        { "two documents", "a: 1\n---\nb: 2\n" },
        { "duplicate key", "a: 1\na: 2\n" },
        { "bad indentation", "a:\n    b: 1\n  c: 2\n" },
        { "tab indentation", "a:\n\tb: 1\n" },
        { "explicit key", "? a\n: 1\n" },
        { "multi-line flow", "a: [1,\n  2]\n" },
        { "explicit indentation", "a: |2\n   x\n" },
        { "empty item", "a:\n  -\n  - x\n" },
        { "last line without break", "a: |\n  text" },
        { "more indented folded", "a: >\n  one\n    two\n" },
    };

    [Theory]
    [MemberData(nameof(InSubset))]
    public void InSubset_SameTreeAsTheGeneralParser(string name, string yaml)
    {
        _ = name;
        var fast = BlockYamlReader.TryRead(yaml);
        fast.ShouldNotBeNull("the reader declined a document in its subset");
        Describe(fast).ShouldBe(Describe(YamlTreeReader.Read(new StringReader(yaml), "t.yaml")));
    }

    [Theory]
    [MemberData(nameof(OutsideSubset))]
    public void OutsideSubset_Declines(string name, string yaml)
    {
        _ = name;
        BlockYamlReader.TryRead(yaml).ShouldBeNull();
    }

    [Fact]
    public void Fixtures_SameTreeAsTheGeneralParser()
    {
        var folder = Path.GetDirectoryName(ApiDiffCommandTests.FixturePath("payments-v1.yaml"))!;
        var files = Directory.GetFiles(folder, "*.yaml");
        files.ShouldNotBeEmpty();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var fast = BlockYamlReader.TryRead(text);
            fast.ShouldNotBeNull(file);
            Describe(fast).ShouldBe(Describe(YamlTreeReader.Read(new StringReader(text), file)), file);
        }
    }

    [Fact]
    public void GeneratedLargeDocument_SameTreeAsTheGeneralParser()
    {
        var text = new StringBuilder("openapi: 3.0.3\ninfo:\n  title: generated\n  version: '1'\npaths:\n");
        for (var i = 0; i < 300; i++)
        {
            text.Append($"  /r{i}/{{id}}:\n    get:\n      operationId: get{i}\n      description: |\n        Gets resource {i}.\n\n        Second paragraph.\n");
            text.Append($"      parameters:\n      - name: id\n        in: path\n        required: true\n        schema: {{type: integer, maximum: {i * 10}}}\n");
            text.Append($"      responses:\n        '200':\n          description: \"ok \\u2014 {i}\"\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/R{i}'\n");
        }
        text.Append("components:\n  schemas:\n");
        for (var i = 0; i < 300; i++)
            text.Append($"    R{i}:\n      type: object\n      required: [id, name]\n      properties:\n        id: {{type: integer}}\n        name:\n          type: string\n          enum:\n          - a{i}\n          - b{i}\n");
        var yaml = text.ToString();
        var fast = BlockYamlReader.TryRead(yaml);
        fast.ShouldNotBeNull();
        Describe(fast).ShouldBe(Describe(YamlTreeReader.Read(new StringReader(yaml), "g.yaml")));
    }

    /// <summary>The whole tree as text: kind, line and value of every node, keys in order.</summary>
    private static string Describe(ApiNode node)
    {
        var text = new StringBuilder();
        Describe(node, "", text);
        return text.ToString();
    }

    private static void Describe(ApiNode node, string path, StringBuilder text)
    {
        text.Append(path).Append(' ').Append(node.Kind).Append(" @").Append(node.Line);
        if (node.Scalar is { } scalar)
            text.Append(" = ").Append(scalar.Replace("\n", "\\n", StringComparison.Ordinal));
        text.Append('\n');
        foreach (var (key, value) in node.Properties)
            Describe(value, path + "/" + key, text);
        for (var i = 0; i < node.Items.Count; i++)
            Describe(node.Items[i], path + "/" + i, text);
    }
}
