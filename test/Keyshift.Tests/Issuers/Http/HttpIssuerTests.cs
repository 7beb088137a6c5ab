using Keyshift.Issuers;
using Keyshift.Probes;
using Keyshift.Secrets;

namespace Keyshift.Tests.Issuers.Http;

public sealed class HttpIssuerTests : IssuerConformanceTests, IAsyncLifetime
{
    private FakeAdminApi _api = null!;

    public async ValueTask InitializeAsync() => _api = await FakeAdminApi.StartAsync();

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    private string Yaml(string adminToken) => $$"""
        type: http
        url: {{_api.Url}}
        admin: file:{{Dir.Write($"admin-{Guid.NewGuid():N}", adminToken)}}
        auth: bearer
        create: { method: POST, path: /v1/keys, body: '{"name": "{name}", "owner": "{account}"}', key: $.data.secret, id: $.data.id }
        revoke: { method: DELETE, path: '/v1/keys/{id}' }
        find: { method: GET, path: '/v1/keys?name={name}', id: '$.items[0].id' }
        """;

    protected override Issuer CreateIssuer() => IssuerFactory.Create(Dir.Path, Yaml(_api.AdminToken));

    protected override Issuer CreateIssuerWithWrongAdmin(string wrongSecret) => IssuerFactory.Create(Dir.Path, Yaml(wrongSecret));

    protected override Task<Credential> CreateAccountAsync(Issuer issuer, string account)
    {
        var (id, secret) = _api.Seed(account);
        return Task.FromResult(new Credential(issuer.Describe(account, id), new Dictionary<string, SecretValue> { [Credential.Key] = SecretValue.FromUtf8(secret) }));
    }

    protected override Probe CreateProbe(Issuer issuer) => new HttpProbe("http", new Uri(_api.Url, "v1/me"), "GET", "header:X-Api-Key", 200, TimeSpan.FromSeconds(5));

    protected override Task<int> CountLoginsAsync(string account) => Task.FromResult(_api.Keys.Count(k => k.Value.Owner == account));

    protected override async Task AssertNoOrphanAsync(Issuer issuer, string account, Credential lost, Credential resumed)
    {
        resumed.Field(Credential.Key)!.Equals(lost.Field(Credential.Key)).ShouldBeFalse();
        (await CreateProbe(issuer).RunAsync(lost, Ct)).Outcome.ShouldBe(ProbeOutcome.Refused, "the lost key is an orphan");
        (await CountLoginsAsync(account)).ShouldBe(2);
    }

    [Fact]
    public async Task Create_SendsAnIdempotencyKey_AndTheDescriptorCarriesTheKeyId()
    {
        var issuer = CreateIssuer();
        var old = await CreateAccountAsync(issuer, "acme");
        var fresh = await issuer.IssueAsync(await issuer.PrepareAsync(new IssueRequest("acme", "acme", RequestToken.For("m", "s", "1")), Ct), Ct);
        _api.IdempotencyKeys.ShouldContain($"keyshift-{RequestToken.For("m", "s", "1").ShortHash}");
        _api.Keys.ShouldContainKey(fresh.Descriptor.Detail("id")!);
        old.Descriptor.Detail("id").ShouldNotBe(fresh.Descriptor.Detail("id"));
    }

    [Fact]
    public async Task HostileValues_AreEscapedInBodyAndPath()
    {
        var issuer = CreateIssuer();
        var account = "x\", \"owner\": \"evil/../admin?y=1";
        var fresh = await issuer.IssueAsync(await issuer.PrepareAsync(IssueRequest.First(account, RequestToken.For("m", "s", "9")), Ct), Ct);
        _api.Keys[fresh.Descriptor.Detail("id")!].Owner.ShouldBe(account);
    }

    [Theory]
    [InlineData("url: http://example.com/\nadmin: env:X\ncreate: { path: /k, key: $.k, id: $.i }\nrevoke: { path: '/k/{id}' }", "url")]
    [InlineData("url: https://example.com/\nadmin: env:X\ncreate: { path: /k, id: $.i }\nrevoke: { path: '/k/{id}' }", "create.key")]
    [InlineData("url: https://example.com/\nadmin: env:X\ncreate: { path: /k, key: 'k', id: $.i }\nrevoke: { path: '/k/{id}' }", "create.key")]
    [InlineData("url: https://example.com/\nadmin: env:X\ncreate: { path: /k, key: $.k, id: $.i }", "revoke")]
    [InlineData("url: https://example.com/\nadmin: env:X\nauth: magic\ncreate: { path: /k, key: $.k, id: $.i }\nrevoke: { path: '/k/{id}' }", "auth")]
    public void BadSettings_NameTheField(string yaml, string field)
    {
        var (_, errors) = IssuerFactory.TryCreate(Dir.Path, "type: http\n" + yaml);
        errors.Items.ShouldHaveSingleItem().Field.ShouldBe($"issuers.test.{field}");
    }
}
