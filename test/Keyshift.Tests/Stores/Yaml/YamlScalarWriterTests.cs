using Keyshift.Stores.Yaml;
using YamlDotNet.RepresentationModel;

namespace Keyshift.Tests.Stores.Yaml;

public sealed class YamlScalarWriterTests
{
    private static List<string> Samples()
    {
        var data = new List<string>();
        foreach (var c in Enumerable.Range(0, 0x180).Select(i => (char)i).Concat("\u2028\u2029\uFEFF\uFFFE\uFFFF✓秘"))
        {
            foreach (var sample in new[] { $"{c}", $"a{c}b", $"{c}a", $"a {c}", $"a{c} ", $"{c} x" })
                data.Add(sample);
        }
        foreach (var sample in new[] { "", " ", "😀 emoji", "a: b", "a #b", "- item", "? key", "--- doc", "...", "'quoted'", "\"dq\"", "multi\nline\n", "trailing\n\n" })
            data.Add(sample);
        return data;
    }

    [Fact]
    public void Written_ReadsBackAsTheSameString_AsValueInBlockAndFlowContext_AndAsKey()
    {
        // Every character up to U+017F and YAML's special ones, alone and around text and spaces.
        foreach (var value in Samples())
        {
            var written = YamlScalarWriter.Write(value);
            Read($"key: {written}\n").ShouldBe(value, written);
            Read($"{{key: {written}, other: 1}}\n").ShouldBe(value, written);
            Read($"{written}: x\n", key: true).ShouldBe(value, written);
        }
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("No")]
    [InlineData("ON")]
    [InlineData("y")]
    [InlineData("true")]
    [InlineData("False")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("0123")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData(".inf")]
    [InlineData("-.5")]
    [InlineData("2001-12-14")]
    [InlineData("12:30:00")]
    [InlineData("<<")]
    [InlineData("=")]
    public void ValuesAYamlReaderWouldTakeForAnotherType_AreQuoted(string value) =>
        YamlScalarWriter.Write(value).ShouldBe($"\"{value}\"");

    [Theory]
    [InlineData("payments")]
    [InlineData("with spaces inside")]
    [InlineData("s3cr3t-value")]
    [InlineData("dGVzdA==")]
    [InlineData("/etc/ssl/cert.pem")]
    [InlineData("ünïcødé")]
    public void OrdinaryText_IsWrittenPlain(string value) => YamlScalarWriter.Write(value).ShouldBe(value);

    private static string Read(string yaml, bool key = false)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var (k, v) = ((YamlMappingNode)stream.Documents[0].RootNode).Children.First();
        return ((YamlScalarNode)(key ? k : v)).Value!;
    }
}
