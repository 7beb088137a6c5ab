using Keyshift.Apis.Diff;
using static Keyshift.Tests.Apis.ApiDiffTester;

namespace Keyshift.Tests.Apis;

public sealed class SecurityDiffTests
{
    private static string Doc(string schemes, string security = "", string head = Head30) => head + security + $"paths:\n  /a:\n    get:\n      responses: {{'200': {{description: ok}}}}\ncomponents:\n  securitySchemes:\n{schemes}";

    private const string ApiKey = "    Key: {type: apiKey, in: header, name: X-API-Key}\n";
    private const string OAuth = "    OAuth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://auth.example.com/token', scopes: {read: r, write: w}}}}\n";

    [Fact]
    public void RequirementAdded_ExplainsWhatClientsMustSend()
    {
        var change = Diff(Doc(ApiKey), Doc(ApiKey, "security: [{Key: []}]\n")).Single(ApiChecks.SecurityRequirementAdded);
        change.ShouldBeAt(Severity.Breaking, 5, 3);
        change.Message.ShouldContain("send the API key in header `X-API-Key`");
        change.Operations.ShouldBe(["GET /a"]);
    }

    [Fact]
    public void RequirementChanged_FromApiKeyToClientCredentials_SaysWhereToGetTokens()
    {
        var change = Diff(Doc(ApiKey + OAuth, "security: [{Key: []}]\n"), Doc(ApiKey + OAuth, "security: [{OAuth: [read]}]\n")).Single(ApiChecks.SecurityRequirementChanged);
        change.ShouldBeAt(Severity.Breaking, 3, 3);
        change.Message.ShouldBe("the API (top-level security) requires different credentials: clients must obtain a token from https://auth.example.com/token with client credentials (scope read) instead of sending the API key in header `X-API-Key`");
    }

    [Fact]
    public void RequirementRemoved_IsWarning()
    {
        Diff(Doc(ApiKey, "security: [{Key: []}]\n"), Doc(ApiKey, "security: [{Key: []}, {}]\n")).Single(ApiChecks.SecurityRequirementRemoved).Severity.ShouldBe(Severity.Warning);
    }

    [Fact]
    public void ScopeAddedToRequirement_IsBreaking()
    {
        var change = Diff(Doc(OAuth, "security: [{OAuth: [read]}]\n"), Doc(OAuth, "security: [{OAuth: [read, write]}]\n")).Single(ApiChecks.SecurityScopeAdded);
        change.ShouldBeAt(Severity.Breaking, 3, 3);
        change.Message.ShouldContain("now needs scope write on `OAuth`");
    }

    [Theory]
    [InlineData("    S: {type: apiKey, in: header, name: X-API-Key}\n", "    S: {type: apiKey, in: header, name: Authorization}\n", "KS-API-065")]
    [InlineData("    S: {type: apiKey, in: header, name: key}\n", "    S: {type: apiKey, in: query, name: key}\n", "KS-API-066")]
    [InlineData("    S: {type: apiKey, in: header, name: key}\n", "    S: {type: http, scheme: bearer}\n", "KS-API-064")]
    [InlineData("    S: {type: http, scheme: basic}\n", "    S: {type: http, scheme: bearer}\n", "KS-API-067")]
    [InlineData("    S: {type: http, scheme: bearer, bearerFormat: opaque}\n", "    S: {type: http, scheme: bearer, bearerFormat: JWT}\n", "KS-API-068")]
    [InlineData("    S: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a/t', scopes: {}}, password: {tokenUrl: 'https://a/t', scopes: {}}}}\n", "    S: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a/t', scopes: {}}}}\n", "KS-API-069")]
    [InlineData("    S: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a/t', scopes: {}}}}\n", "    S: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a/t', scopes: {}}, password: {tokenUrl: 'https://a/t', scopes: {}}}}\n", "KS-API-070")]
    [InlineData("    S: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://old/token', scopes: {}}}}\n", "    S: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://new/token', scopes: {}}}}\n", "KS-API-071")]
    [InlineData("    S: {type: oauth2, flows: {authorizationCode: {authorizationUrl: 'https://old/auth', tokenUrl: 'https://a/t', scopes: {}}}}\n", "    S: {type: oauth2, flows: {authorizationCode: {authorizationUrl: 'https://new/auth', tokenUrl: 'https://a/t', scopes: {}}}}\n", "KS-API-072")]
    [InlineData("    S: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a/t', refreshUrl: 'https://a/r', scopes: {}}}}\n", "    S: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a/t', refreshUrl: 'https://b/r', scopes: {}}}}\n", "KS-API-073")]
    [InlineData("    S: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a/t', scopes: {read: r, admin: a}}}}\n", "    S: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a/t', scopes: {read: r}}}}\n", "KS-API-074")]
    [InlineData("    S: {type: openIdConnect, openIdConnectUrl: 'https://old/.well-known/openid-configuration'}\n", "    S: {type: openIdConnect, openIdConnectUrl: 'https://new/.well-known/openid-configuration'}\n", "KS-API-075")]
    public void SchemeChanges_AreAttributedToOperationsUsingTheScheme(string oldScheme, string newScheme, string id)
    {
        var check = ApiChecks.Find(id)!;
        var change = Diff(Doc(oldScheme, "security: [{S: []}]\n"), Doc(newScheme, "security: [{S: []}]\n")).Single(check);
        change.ShouldBeAt(check.Severity, 10, 10);
        change.Operations.ShouldBe(["GET /a"]);
    }

    [Fact]
    public void SchemeChange_NoOperationUses_IsInfo()
    {
        var change = Diff(Doc("    S: {type: http, scheme: basic}\n"), Doc("    S: {type: http, scheme: bearer}\n")).Single(ApiChecks.HttpSchemeChanged);
        change.Severity.ShouldBe(Severity.Info);
        change.Message.ShouldContain("no operation uses this scheme");
    }

    [Fact]
    public void MutualTlsRequired_Swagger31Scheme()
    {
        var change = Diff(Doc(ApiKey, "security: [{Key: []}]\n", Head31), Doc(ApiKey + "    Mtls: {type: mutualTLS}\n", "security: [{Mtls: []}]\n", Head31)).Single(ApiChecks.MutualTlsRequired);
        change.Severity.ShouldBe(Severity.Breaking);
        change.Message.ShouldContain("present a client TLS certificate");
        change.Message.ShouldContain("instead of sending the API key");
    }

    [Fact]
    public void OperationSecurity_OverridesTheGlobalOne()
    {
        var old = Head30 + "security: [{Key: []}]\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\ncomponents:\n  securitySchemes:\n" + ApiKey + OAuth;
        var @new = old.Replace("    get:\n", "    get:\n      security: [{OAuth: [read]}]\n", StringComparison.Ordinal);
        var change = Diff(old, @new).Single(ApiChecks.SecurityRequirementChanged);
        change.ShouldBeAt(Severity.Breaking, 3, 7);
        change.Message.ShouldStartWith("`GET /a` requires different credentials");
    }

    [Fact]
    public void Swagger20_SecurityDefinitionsAreMappedTo3xTerms()
    {
        const string old = "swagger: '2.0'\ninfo: {title: t, version: '1'}\nsecurity: [{S: []}]\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\nsecurityDefinitions:\n  S: {type: oauth2, flow: application, tokenUrl: 'https://a/token', scopes: {read: r}}\n";
        var change = Diff(old, old.Replace("https://a/token", "https://b/token", StringComparison.Ordinal)).Single(ApiChecks.TokenUrlChanged);
        change.Message.ShouldContain("from https://b/token instead of https://a/token");
        change.ShouldBeAt(Severity.Breaking, 9, 9);
    }
}
