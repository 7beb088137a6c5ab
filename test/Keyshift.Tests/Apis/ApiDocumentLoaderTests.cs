using Keyshift.Apis.Diff;
using Keyshift.Apis.Documents;
using Keyshift.Configuration;
using static Keyshift.Tests.Apis.ApiDiffTester;

namespace Keyshift.Tests.Apis;

public sealed class ApiDocumentLoaderTests
{
    private static InputError BadInput(string text, string file = "api.yaml") =>
        Should.Throw<BadInputException>(() => ApiDocumentLoader.Parse(text, file)).Errors[0];

    [Fact]
    public void UnresolvableReference_NamesFileLineAndPointer()
    {
        var error = BadInput(Head30 + "paths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Missing'}\n");
        error.Location.ShouldBe(new SourceLocation("api.yaml", 7));
        error.Field.ShouldBe("/paths/~1a/get/responses/200/$ref");
        error.Message.ShouldContain("'components' does not exist");
    }

    [Fact]
    public void ExternalReference_IsBadInputWithAdvice() =>
        BadInput(Head30 + "paths:\n  /a: {$ref: 'other.yaml#/a'}\n").Message.ShouldContain("bundle the document first");

    [Fact]
    public void ReferenceLoop_IsBadInput() =>
        BadInput(Head30 + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n").Message.ShouldContain("loop");

    [Theory]
    [InlineData("swagger: '1.2'\ninfo: {title: t, version: '1'}\n", "Swagger 1.2 is not supported")]
    [InlineData("swaggerVersion: '1.2'\napis: []\n", "Swagger 1.2 is not supported")]
    [InlineData("openapi: 4.0.0\ninfo: {title: t, version: '1'}\n", "OpenAPI 4.0.0 is not supported")]
    [InlineData("title: not openapi\n", "neither an 'openapi' nor a 'swagger' field")]
    public void UnsupportedVersions_AreBadInput(string text, string message) => BadInput(text).Message.ShouldContain(message);

    [Fact]
    public void TruncatedJson_NamesTheLine()
    {
        var error = BadInput("{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\",\n", "api.json");
        error.Location!.File.ShouldBe("api.json");
        error.Message.ShouldContain("not valid JSON");
    }

    [Fact]
    public void InvalidYaml_NamesTheLine()
    {
        var error = BadInput(Head30 + "paths:\n  /a:\n    get: [unclosed\n");
        error.Location!.Line.ShouldBeGreaterThanOrEqualTo(5);
        error.Message.ShouldContain("not valid YAML");
    }

    [Fact]
    public void TruncatedYamlThatStillParses_IsCaughtByMissingParts()
    {
        var doc = ApiDocumentLoader.Parse("openapi: 3.0.3\n", "api.yaml");
        Should.Throw<BadInputException>(() => Keyshift.Apis.Contracts.ApiContract.Read(doc)).Errors.Select(e => e.Field).ShouldContain("info");
    }

    [Fact]
    public void DuplicateKey_IsBadInput() =>
        BadInput(Head30 + "paths:\n  /a: {}\n  /a: {}\n").Message.ShouldBe("appears twice");

    [Fact]
    public void DeeplyNestedDocuments_AreRefusedWithoutStackOverflow()
    {
        var json = "{\"openapi\":\"3.0.3\",\"x\":" + string.Concat(Enumerable.Repeat("[", 100_000)) + string.Concat(Enumerable.Repeat("]", 100_000)) + "}";
        BadInput(json, "deep.json").Message.ShouldContain("not valid JSON");
        var yaml = Head30 + "x: " + string.Concat(Enumerable.Repeat("[", 5_000)) + string.Concat(Enumerable.Repeat("]", 5_000)) + "\n";
        BadInput(yaml).Message.ShouldContain("nested more than");
    }

    [Fact]
    public void YamlAliasBomb_IsRefused()
    {
        var text = Head30 + "a0: &a0 [x]\n" + string.Concat(Enumerable.Range(1, 20).Select(i => $"a{i}: &a{i} [" + string.Join(",", Enumerable.Repeat($"*a{i - 1}", 1000)) + "]\n"));
        BadInput(text).Message.ShouldContain("aliases");
    }

    [Fact]
    public void JsonInput_ReportsLinesOfTheJsonFile()
    {
        const string old = "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n  \"paths\": {\n    \"/a\": {\n      \"get\": {\"responses\": {\"200\": {\"description\": \"ok\"}}}\n    },\n    \"/b\": {\n      \"get\": {\"responses\": {\"200\": {\"description\": \"ok\"}}}\n    }\n  }\n}\n";
        var @new = old.Replace("    \"/b\": {\n      \"get\": {\"responses\": {\"200\": {\"description\": \"ok\"}}}\n    }\n", "", StringComparison.Ordinal).Replace("},\n  }", "}\n  }", StringComparison.Ordinal).Replace("    },\n  }", "    }\n  }", StringComparison.Ordinal);
        Diff(old, @new).Single(ApiChecks.PathRemoved).ShouldBeAt(Severity.Breaking, 9, 4);
    }

    [Fact]
    public void YamlAgainstJson_AcrossVersions20And31_ComparesTheSameContract()
    {
        const string v2 = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{name: q, in: query, type: string, enum: [x, y]}]\n      responses: {'200': {description: ok}}\n";
        const string v31 = "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {\"/a\": {\"get\": {\"parameters\": [{\"name\": \"q\", \"in\": \"query\", \"schema\": {\"type\": \"string\", \"enum\": [\"x\"]}}], \"responses\": {\"200\": {\"description\": \"ok\"}}}}}}";
        var change = Diff(v2, v31).Single(ApiChecks.EnumValueRemoved);
        change.Old!.File.ShouldBe("old.yaml");
        change.Old.Line.ShouldBe(6);
        change.New!.Pointer.ShouldBe("/paths/~1a/get/parameters/0/schema/enum");
    }
}
