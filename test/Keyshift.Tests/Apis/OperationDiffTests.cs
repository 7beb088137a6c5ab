using Keyshift.Apis.Diff;
using static Keyshift.Tests.Apis.ApiDiffTester;

namespace Keyshift.Tests.Apis;

public sealed class OperationDiffTests
{
    private const string TwoPaths = Head30 + """
        paths:
          /charges:
            get:
              operationId: listCharges
              responses: {'200': {description: ok}}
            post:
              responses: {'201': {description: ok}}
          /refunds:
            get:
              responses: {'200': {description: ok}}
        """;

    [Fact]
    public void PathRemoved_PointsAtTheOldOperation()
    {
        var changes = Diff(TwoPaths, Head30 + """
            paths:
              /charges:
                get:
                  operationId: listCharges
                  responses: {'200': {description: ok}}
                post:
                  responses: {'201': {description: ok}}
            """);
        var change = changes.Single(ApiChecks.PathRemoved);
        change.ShouldBeAt(Severity.Breaking, 11, 3);
        change.Old!.Pointer.ShouldBe("/paths/~1refunds/get");
        change.Operations.ShouldBe(["GET /refunds"]);
        change.Primary.ShouldBe(change.Old);
    }

    [Fact]
    public void OperationRemoved_WhenThePathStays()
    {
        var changes = Diff(TwoPaths, Head30 + """
            paths:
              /charges:
                get:
                  operationId: listCharges
                  responses: {'200': {description: ok}}
              /refunds:
                get:
                  responses: {'200': {description: ok}}
            """);
        changes.Single(ApiChecks.OperationRemoved).ShouldBeAt(Severity.Breaking, 8, 4);
        changes.ShouldNotHave(ApiChecks.PathRemoved);
    }

    [Fact]
    public void OperationRenamed_BySameOperationId()
    {
        var changes = Diff(TwoPaths, Head30 + """
            paths:
              /v2/charges:
                get:
                  operationId: listCharges
                  responses: {'200': {description: ok}}
              /charges:
                post:
                  responses: {'201': {description: ok}}
              /refunds:
                get:
                  responses: {'200': {description: ok}}
            """);
        var change = changes.Single(ApiChecks.OperationRenamed);
        change.ShouldBeAt(Severity.Breaking, 5, 5);
        change.Message.ShouldContain("`GET /charges` moved to `GET /v2/charges`");
        change.Operations.ShouldBe(["GET /charges", "GET /v2/charges"]);
        changes.ShouldNotHave(ApiChecks.OperationRemoved);
        changes.ShouldNotHave(ApiChecks.OperationAdded);
    }

    [Fact]
    public void OperationRenamed_BySameShapeWithoutOperationId()
    {
        const string old = Head30 + """
            paths:
              /charges/{id}:
                get:
                  parameters: [{name: id, in: path, required: true, schema: {type: string}}, {name: expand, in: query, schema: {type: string}}]
                  responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Charge'}}}}}
            components: {schemas: {Charge: {type: object}}}
            """;
        const string @new = Head30 + """
            paths:
              /payments/{paymentId}:
                get:
                  parameters: [{name: paymentId, in: path, required: true, schema: {type: string}}, {name: expand, in: query, schema: {type: string}}]
                  responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Charge'}}}}}
            components: {schemas: {Charge: {type: object}}}
            """;
        Diff(old, @new).Single(ApiChecks.OperationRenamed).Message.ShouldContain("`GET /payments/{paymentId}`");
    }

    [Fact]
    public void PathParameterRenamed_IsNoChange()
    {
        const string old = Head30 + "paths:\n  /c/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n";
        var @new = old.Replace("{id}", "{chargeId}", StringComparison.Ordinal).Replace("name: id", "name: chargeId", StringComparison.Ordinal);
        Diff(old, @new).ShouldBeEmpty();
    }

    [Fact]
    public void OperationAdded_IsInfo()
    {
        var changes = Diff(Head30 + "paths: {}\n", TwoPaths);
        changes.Where(c => c.Check == ApiChecks.OperationAdded).Count().ShouldBe(3);
        changes.ShouldAllBe(c => c.Severity == Severity.Info);
    }

    [Fact]
    public void OperationIdChanged_IsWarning()
    {
        var changes = Diff(TwoPaths, TwoPaths.Replace("listCharges", "getCharges", StringComparison.Ordinal));
        changes.Single(ApiChecks.OperationIdChanged).ShouldBeAt(Severity.Warning, 6, 6);
    }

    [Fact]
    public void ServerChanged_IsWarningAtServers()
    {
        var old = Head30 + "servers: [{url: 'https://api.example.com/v1'}]\n" + TwoPaths[Head30.Length..];
        var @new = old.Replace("/v1", "/v2", StringComparison.Ordinal);
        Diff(old, @new).Single(ApiChecks.ServerChanged).ShouldBeAt(Severity.Warning, 3, 3);
    }

    [Fact]
    public void ResponseCodes_SuccessRemovedIsBreaking_ErrorRemovedIsWarning_AddedIsInfo()
    {
        const string old = Head30 + "paths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n        '404': {description: missing}\n";
        const string @new = Head30 + "paths:\n  /a:\n    get:\n      responses:\n        '204': {description: ok}\n";
        var changes = Diff(old, @new);
        changes.Single(ApiChecks.SuccessResponseRemoved).ShouldBeAt(Severity.Breaking, 7, 6);
        changes.Single(ApiChecks.ErrorResponseRemoved).ShouldBeAt(Severity.Warning, 8, 6);
        changes.Single(ApiChecks.ResponseCodeAdded).ShouldBeAt(Severity.Info, 6, 7);
    }

    [Fact]
    public void MediaTypes_RemovedFromResponseAndRequestAreBreaking()
    {
        const string old = Head30 + """
            paths:
              /a:
                post:
                  requestBody: {content: {application/json: {schema: {type: object}}, application/xml: {schema: {type: object}}}}
                  responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}, text/csv: {schema: {type: string}}}}}
            """;
        const string @new = Head30 + """
            paths:
              /a:
                post:
                  requestBody: {content: {application/json: {schema: {type: object}}}}
                  responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}}}}
            """;
        var changes = Diff(old, @new);
        changes.Single(ApiChecks.RequestMediaTypeRemoved).ShouldBeAt(Severity.Breaking, 6, 6);
        changes.Single(ApiChecks.ResponseMediaTypeRemoved).ShouldBeAt(Severity.Breaking, 7, 7);
        Diff(@new, old).Where(c => c.Check == ApiChecks.MediaTypeAdded).Count().ShouldBe(2);
    }

    [Fact]
    public void ResponseHeaderRemoved_IsWarning()
    {
        const string old = Head30 + "paths:\n  /a:\n    post:\n      responses:\n        '201':\n          description: ok\n          headers: {Location: {schema: {type: string}}}\n";
        const string @new = Head30 + "paths:\n  /a:\n    post:\n      responses:\n        '201':\n          description: ok\n";
        Diff(old, @new).Single(ApiChecks.ResponseHeaderRemoved).ShouldBeAt(Severity.Warning, 9, 7);
    }
}
