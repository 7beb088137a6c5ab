using Keyshift.Apis.Diff;
using static Keyshift.Tests.Apis.ApiDiffTester;

namespace Keyshift.Tests.Apis;

public sealed class BodyDiffTests
{
    private static string Post(string schema, bool requiredBody = false) => Head30 + $$$"""
        paths:
          /charges:
            post:
              requestBody:
                required: {{{(requiredBody ? "true" : "false")}}}
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/NewCharge'}
              responses: {'201': {description: ok}}
        components:
          schemas:
            NewCharge:
        {{{schema}}}
        """;

    private static string Get(string schema) => Head30 + $$$$"""
        paths:
          /charges/{id}:
            get:
              parameters: [{name: id, in: path, required: true, schema: {type: string}}]
              responses:
                '200':
                  description: ok
                  content: {application/json: {schema: {$ref: '#/components/schemas/Charge'}}}
        components:
          schemas:
            Charge:
        {{{{schema}}}}
        """;

    [Fact]
    public void RequestBodyMadeRequired_IsBreaking()
    {
        const string schema = "      type: object";
        Diff(Post(schema), Post(schema, requiredBody: true)).Single(ApiChecks.RequestBodyMadeRequired).ShouldBeAt(Severity.Breaking, 6, 6);
    }

    [Fact]
    public void RequestProperties_RequiredAdded_MadeRequired_Removed_OptionalAdded()
    {
        const string old = "      type: object\n      properties:\n        amount: {type: integer}\n        memo: {type: string}\n        legacy: {type: string}\n";
        const string @new = "      type: object\n      required: [amount, currency]\n      properties:\n        amount: {type: integer}\n        memo: {type: string}\n        currency: {type: string}\n        tags: {type: array}\n";
        var changes = Diff(Post(old), Post(@new));
        var added = changes.Single(ApiChecks.RequiredRequestPropertyAdded);
        added.ShouldBeAt(Severity.Breaking, 16, 20);
        added.Message.ShouldContain("`NewCharge.currency`");
        added.Operations.ShouldBe(["POST /charges"]);
        changes.Single(ApiChecks.RequestPropertyMadeRequired).ShouldBeAt(Severity.Breaking, 17, 18);
        changes.Single(ApiChecks.RequestPropertyRemoved).ShouldBeAt(Severity.Warning, 19, 17);
        changes.Single(ApiChecks.OptionalRequestPropertyAdded).ShouldBeAt(Severity.Info, 16, 21);
    }

    [Fact]
    public void RequestPropertyRemoved_SaysRejectedWhenAdditionalPropertiesAreClosed()
    {
        var changes = Diff(Post("      type: object\n      properties:\n        memo: {type: string}\n"), Post("      type: object\n      additionalProperties: false\n      properties: {}\n"));
        changes.Single(ApiChecks.RequestPropertyRemoved).Message.ShouldContain("will be rejected");
    }

    [Fact]
    public void ReadOnlyProperties_AreNotPartOfRequests()
    {
        var changes = Diff(Post("      type: object\n      properties:\n        id: {type: string, readOnly: true}\n"), Post("      type: object\n      required: [createdAt]\n      properties:\n        createdAt: {type: string, readOnly: true}\n"));
        changes.ShouldBeEmpty();
    }

    [Fact]
    public void ResponseProperties_Removed_MadeOptional_TypeChanged_EnumAdded_Added()
    {
        const string old = "      type: object\n      required: [id, status]\n      properties:\n        id: {type: string}\n        status: {type: string, enum: [open, paid]}\n        amount: {type: integer}\n        receipt: {type: string}\n";
        const string @new = "      type: object\n      required: [id]\n      properties:\n        id: {type: string}\n        status: {type: string, enum: [open, paid, disputed]}\n        amount: {type: string}\n        fee: {type: integer}\n";
        var changes = Diff(Get(old), Get(@new));
        var removed = changes.Single(ApiChecks.ResponsePropertyRemoved);
        removed.ShouldBeAt(Severity.Breaking, 20, 16);
        removed.Primary.ShouldBe(removed.Old);
        changes.Single(ApiChecks.ResponsePropertyMadeOptional).ShouldBeAt(Severity.Breaking, 18, 18);
        changes.Single(ApiChecks.ResponseTypeChanged).ShouldBeAt(Severity.Breaking, 19, 19);
        changes.Single(ApiChecks.ResponseEnumValueAdded).ShouldBeAt(Severity.Warning, 18, 18);
        changes.Single(ApiChecks.ResponsePropertyAdded).ShouldBeAt(Severity.Info, 16, 20);
    }

    [Fact]
    public void AllOf_PropertiesAreMerged()
    {
        var changes = Diff(Get("      allOf:\n        - {type: object, required: [id], properties: {id: {type: string}}}\n"), Get("      allOf:\n        - {type: object, properties: {id: {type: string}}}\n"));
        changes.Single(ApiChecks.ResponsePropertyMadeOptional).Message.ShouldContain("`Charge.id`");
    }

    [Fact]
    public void RecursiveSchemas_AreComparedOnce_AndDoNotOverflow()
    {
        const string old = "      type: object\n      properties:\n        parent: {$ref: '#/components/schemas/Charge'}\n        children: {type: array, items: {$ref: '#/components/schemas/Charge'}}\n        note: {type: string}\n";
        const string @new = "      type: object\n      properties:\n        parent: {$ref: '#/components/schemas/Charge'}\n        children: {type: array, items: {$ref: '#/components/schemas/Charge'}}\n";
        var changes = Diff(Get(old), Get(@new));
        changes.Single(ApiChecks.ResponsePropertyRemoved).Message.ShouldContain("`Charge.note`");
    }

    [Fact]
    public void MutuallyRecursiveSchemas_InRequestAndResponse()
    {
        const string doc = Head31 + """
            paths:
              /nodes:
                post:
                  requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}
                  responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/B'}}}}}
            components:
              schemas:
                A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}, size: {type: integer, maximum: 10}}}
                B: {type: object, properties: {a: {$ref: '#/components/schemas/A'}, name: {type: [string, 'null']}}}
            """;
        var changes = Diff(doc, doc.Replace("maximum: 10", "maximum: 5", StringComparison.Ordinal).Replace("[string, 'null']", "[string, integer]", StringComparison.Ordinal));
        changes.Single(ApiChecks.MaximumLowered).Message.ShouldContain("`A.size`");
        changes.Single(ApiChecks.ResponseTypeChanged).Message.ShouldContain("`B.name` may now be integer");
    }

    [Fact]
    public void Swagger20_BodyParameterAndResponseSchemaAreCompared()
    {
        const string old = "swagger: '2.0'\ninfo: {title: t, version: '1'}\nproduces: [application/json]\npaths:\n  /a:\n    post:\n      parameters:\n        - {name: body, in: body, schema: {$ref: '#/definitions/In'}}\n      responses:\n        '200': {description: ok, schema: {$ref: '#/definitions/Out'}}\ndefinitions:\n  In: {type: object, properties: {x: {type: string}}}\n  Out: {type: object, properties: {y: {type: string}}}\n";
        var changes = Diff(old, old.Replace("properties: {x: {type: string}}", "required: [z], properties: {x: {type: string}, z: {type: string}}", StringComparison.Ordinal).Replace("properties: {y: {type: string}}", "properties: {}", StringComparison.Ordinal));
        changes.Single(ApiChecks.RequiredRequestPropertyAdded).Message.ShouldContain("`In.z`");
        changes.Single(ApiChecks.ResponsePropertyRemoved).ShouldBeAt(Severity.Breaking, 13, 13);
    }
}
