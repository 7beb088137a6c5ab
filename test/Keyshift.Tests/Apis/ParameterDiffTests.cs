using Keyshift.Apis.Diff;
using static Keyshift.Tests.Apis.ApiDiffTester;

namespace Keyshift.Tests.Apis;

public sealed class ParameterDiffTests
{
    private static string Op(string parameters) => Head30 + $"paths:\n  /a:\n    get:\n      parameters:\n{parameters}      responses: {{'200': {{description: ok}}}}\n";

    private static List<ApiChange> DiffParameters(string old, string @new) => Diff(Op(old), Op(@new));

    [Fact]
    public void Removed_IsWarning()
    {
        var changes = DiffParameters("        - {name: limit, in: query, schema: {type: integer}}\n        - {name: q, in: query, schema: {type: integer, format: int32}}\n", "        - {name: q, in: query, schema: {type: integer, format: int32}}\n");
        changes.Single(ApiChecks.ParameterRemoved).ShouldBeAt(Severity.Warning, 7, 5);
    }

    [Fact]
    public void Renamed_WhenOneParameterWithTheSameTypeReplacesIt()
    {
        var changes = DiffParameters("        - {name: limit, in: query, schema: {type: integer}}\n", "        - {name: pageSize, in: query, schema: {type: integer}}\n");
        var change = changes.Single(ApiChecks.ParameterRenamed);
        change.ShouldBeAt(Severity.Breaking, 7, 7);
        change.Message.ShouldContain("renamed to `pageSize`");
        changes.ShouldNotHave(ApiChecks.ParameterRemoved);
    }

    [Fact]
    public void Moved_WhenTheSameNameChangesLocation()
    {
        var changes = DiffParameters("        - {name: X-Account, in: query, schema: {type: string}}\n", "        - {name: X-Account, in: header, schema: {type: string}}\n");
        changes.Single(ApiChecks.ParameterMoved).Message.ShouldContain("moved from query to header");
    }

    [Fact]
    public void MadeRequired_AndNewRequired_AreBreaking_NewOptionalIsInfo()
    {
        var changes = DiffParameters(
            "        - {name: limit, in: query, schema: {type: integer}}\n",
            "        - {name: limit, in: query, required: true, schema: {type: integer}}\n        - {name: account, in: header, required: true, schema: {type: string}}\n        - {name: expand, in: query, schema: {type: boolean}}\n");
        changes.Single(ApiChecks.ParameterMadeRequired).ShouldBeAt(Severity.Breaking, 7, 7);
        changes.Single(ApiChecks.RequiredParameterAdded).ShouldBeAt(Severity.Breaking, 5, 8);
        changes.Single(ApiChecks.OptionalParameterAdded).ShouldBeAt(Severity.Info, 5, 9);
    }

    [Theory]
    [InlineData("{type: number}", "{type: integer}", "KS-API-030")]
    [InlineData("{type: string}", "{type: string, format: uuid}", "KS-API-031")]
    [InlineData("{type: string, enum: [a, b, c]}", "{type: string, enum: [a, b]}", "KS-API-032")]
    [InlineData("{type: string}", "{type: string, enum: [a]}", "KS-API-032")]
    [InlineData("{type: integer, maximum: 100}", "{type: integer, maximum: 50}", "KS-API-033")]
    [InlineData("{type: integer, maximum: 100}", "{type: integer, maximum: 100, exclusiveMaximum: true}", "KS-API-033")]
    [InlineData("{type: integer, minimum: 0}", "{type: integer, minimum: 1}", "KS-API-034")]
    [InlineData("{type: string, maxLength: 64}", "{type: string, maxLength: 32}", "KS-API-035")]
    [InlineData("{type: string}", "{type: string, minLength: 3}", "KS-API-036")]
    [InlineData("{type: string}", "{type: string, pattern: '^[a-z]+$'}", "KS-API-037")]
    [InlineData("{type: string, pattern: '^[a-z]+$'}", "{type: string, pattern: '^[a-f]+$'}", "KS-API-037")]
    [InlineData("{type: array, items: {type: string}, maxItems: 10}", "{type: array, items: {type: string}, maxItems: 5}", "KS-API-038")]
    [InlineData("{type: array, items: {type: string, enum: [x, y]}}", "{type: array, items: {type: string, enum: [x]}}", "KS-API-032")]
    public void Narrowed_IsBreakingAtTheNewSchema(string oldSchema, string newSchema, string id)
    {
        var changes = DiffParameters($"        - {{name: p, in: query, schema: {oldSchema}}}\n", $"        - {{name: p, in: query, schema: {newSchema}}}\n");
        var change = changes.Single(ApiChecks.Find(id)!);
        change.ShouldBeAt(Severity.Breaking, 7, 7);
        change.Message.ShouldContain("query parameter `p` of `GET /a`");
        change.Operations.ShouldBe(["GET /a"]);
    }

    [Theory]
    [InlineData("{type: integer}", "{type: number}")]
    [InlineData("{type: string, enum: [a]}", "{type: string, enum: [a, b]}")]
    [InlineData("{type: integer, maximum: 5}", "{type: integer, maximum: 10}")]
    [InlineData("{type: integer, format: int32}", "{type: integer, format: int64}")]
    public void Widened_IsOnlyInfo(string oldSchema, string newSchema)
    {
        var changes = DiffParameters($"        - {{name: p, in: query, schema: {oldSchema}}}\n", $"        - {{name: p, in: query, schema: {newSchema}}}\n");
        changes.ShouldAllBe(c => c.Severity == Severity.Info);
    }

    [Fact]
    public void Swagger20_ParameterConstraintsAreOnTheParameter()
    {
        const string old = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: limit, in: query, type: integer, maximum: 100}\n      responses: {'200': {description: ok}}\n";
        var changes = Diff(old, old.Replace("maximum: 100", "maximum: 10", StringComparison.Ordinal));
        changes.Single(ApiChecks.MaximumLowered).ShouldBeAt(Severity.Breaking, 7, 7);
    }
}
