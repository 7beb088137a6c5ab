using System.Text.Json;
using Keyshift.Gateway;

namespace Keyshift.Tests.Gateway;

public sealed class JsonDiffTests
{
    private static SortedSet<string> Diff(string a, string b)
    {
        using var left = JsonDocument.Parse(a);
        using var right = JsonDocument.Parse(b);
        return JsonDiff.Compare(left.RootElement, right.RootElement);
    }

    [Fact]
    public void Compare_NamesChangedMissingAndRetypedPaths_NeverValues()
    {
        var paths = Diff(
            """{"id":"ch_1","amount":1200,"status":"paid","meta":{"a":1},"items":[{"sku":"x","qty":1}],"gone":true}""",
            """{"id":"ch_1","amount":"12.00","status":"succeeded","meta":{"a":1,"b":2},"items":[{"sku":"y","qty":1},{"sku":"z","qty":2}]}""");

        paths.ShouldBe(["$.amount", "$.gone", "$.items[#]", "$.items[*].sku", "$.meta.b", "$.status"]);
        string.Join(' ', paths).ShouldNotContain("succeeded");
    }

    [Fact]
    public void Compare_EqualDocuments_DifferInNothing() =>
        Diff("""{"a":[1,2,{"b":1.0}],"c":null}""", """{"c":null,"a":[1,2,{"b":1.00}]}""").ShouldBeEmpty();

    [Fact]
    public void Noise_FiltersLearnedPathsAndTheirChildren_OnlyForItsEndpoint()
    {
        var noise = new NoiseModel(samples: 1);
        noise.TakeSample("GET /v1/charges/{id}").ShouldBeTrue();
        noise.TakeSample("GET /v1/charges/{id}").ShouldBeFalse();
        noise.Learn("GET /v1/charges/{id}", ["$.meta"]);

        noise.Filter("GET /v1/charges/{id}", ["$.meta", "$.meta.requestId", "$.metadata", "$.status"]).ShouldBe(["$.metadata", "$.status"]);
        noise.Filter("GET /v1/refunds/{id}", ["$.meta"]).ShouldBe(["$.meta"]);
    }

    [Theory]
    [InlineData("GET", "/v1/charges/ch_3NfZ8100", "GET /v1/charges/{id}")]
    [InlineData("POST", "/v1/customers/42/cards", "POST /v1/customers/{id}/cards")]
    [InlineData("GET", "/v1/charges/6f1c9a9e-2a4b-4f0e-9d0a-5b8f3c2e1a7d", "GET /v1/charges/{id}")]
    [InlineData("GET", "/", "GET /")]
    [InlineData("GET", "/v2/api-keys", "GET /v2/api-keys")]
    public void RouteTemplate_ReplacesIdentifiers(string method, string path, string expected) =>
        RouteTemplate.Of(method, path).ShouldBe(expected);
}
