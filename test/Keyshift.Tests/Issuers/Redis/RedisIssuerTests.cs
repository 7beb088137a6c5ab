using Keyshift.Issuers;
using Keyshift.Issuers.Redis;
using Keyshift.Probes;
using Keyshift.Secrets;

namespace Keyshift.Tests.Issuers.Redis;

public sealed class RedisIssuerTests : IssuerConformanceTests
{
    private string Yaml(string adminPassword) => $"""
        type: redis
        host: 127.0.0.1
        port: {TestServers.RedisPort}
        admin: file:{Dir.Write($"admin-{Guid.NewGuid():N}", adminPassword)}
        """;

    protected override Issuer CreateIssuer() => IssuerFactory.Create(Dir.Path, Yaml(TestServers.RedisAdminPassword));

    protected override Issuer CreateIssuerWithWrongAdmin(string wrongSecret) => IssuerFactory.Create(Dir.Path, Yaml(wrongSecret));

    protected override string HostileAccount() => TestServers.Unique("ks") + "a\"b;DROP'--{}*";

    internal static async Task<RespClient> AdminAsync()
    {
        var client = await RespClient.ConnectAsync("127.0.0.1", TestServers.RedisPort, false, TimeSpan.FromSeconds(5), Ct);
        (await client.AuthAsync("default", SecretValue.FromUtf8(TestServers.RedisAdminPassword), Ct)).ShouldBeNull();
        return client;
    }

    protected override async Task<Credential> CreateAccountAsync(Issuer issuer, string account)
    {
        var password = "old-" + Guid.NewGuid().ToString("N");
        await using var client = await AdminAsync();
        (await client.SendAsync(Ct, "ACL", "SETUSER", account, "on", ">" + password, "~*", "+@all")).IsError.ShouldBeFalse();
        return Credential.Login(issuer.Describe(account, account), SecretValue.FromUtf8(password));
    }

    protected override Probe CreateProbe(Issuer issuer) => new RedisProbe("redis", "127.0.0.1", TestServers.RedisPort, false, TimeSpan.FromSeconds(5));

    protected override async Task<int> CountLoginsAsync(string account)
    {
        await using var client = await AdminAsync();
        var user = await client.SendAsync(Ct, "ACL", "GETUSER", account);
        if (user.Items is null)
            return 0;
        for (var i = 0; i < user.Items.Count; i += 2)
        {
            if (user.Items[i].Text == "passwords")
                return user.Items[i + 1].Items!.Count;
        }
        return 0;
    }

    [Fact]
    public async Task Prepare_ForMissingUser_NamesIssuerStepAndUser()
    {
        var e = await Should.ThrowAsync<IssuerException>(async () => await CreateIssuer().PrepareAsync(IssueRequest.First("no-such-user-ks", RequestToken.For("m", "s", "1")), Ct));
        e.Message.ShouldBe($"issuer 'test' (redis): prepare: ACL user 'no-such-user-ks' does not exist on 127.0.0.1:{TestServers.RedisPort}");
    }

    [Fact]
    public async Task Revoke_RefusesToRemoveTheOnlyPassword()
    {
        var issuer = CreateIssuer();
        var old = await CreateAccountAsync(issuer, Account());
        var e = await Should.ThrowAsync<IssuerException>(async () => await issuer.RevokeAsync(old, Ct));
        e.Message.ShouldContain("only password");
        (await CreateProbe(issuer).RunAsync(old, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
    }

    [Fact]
    public async Task Probe_OnAClosedPort_IsUnreachable_NotRefused()
    {
        var old = Credential.Login(CredentialDescriptor.Of("t", "a", "a"), SecretValue.FromUtf8("whatever-pass"));
        var result = await new RedisProbe("redis", "127.0.0.1", 1, false, TimeSpan.FromSeconds(2)).RunAsync(old, Ct);
        result.Outcome.ShouldBe(ProbeOutcome.Unreachable);
        result.Meets(ProbeExpectation.Refused).ShouldBeFalse();
    }

    [Fact]
    public async Task Prepare_StoresNoRedisPasswordHash_OnlyKeyedFingerprints()
    {
        var issuer = CreateIssuer();
        var account = Account();
        var old = await CreateAccountAsync(issuer, account);
        var pending = await issuer.PrepareAsync(IssueRequest.First(account, RequestToken.For("m", "s", "1")), Ct);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(old.Field(Credential.Password)!.Bytes));
        pending.ToJson().ShouldNotContain(sha[..24]);
    }

    [Fact]
    public async Task Issue_WithAnotherWorkspaceKey_RefusesInsteadOfRemovingPasswords()
    {
        var account = Account();
        var old = await CreateAccountAsync(CreateIssuer(), account);
        var pending = await CreateIssuer().PrepareAsync(IssueRequest.First(account, RequestToken.For("m", "s", "1")), Ct);
        using var elsewhere = new Keyshift.Tests.Support.TempDir();
        var stranger = IssuerFactory.Create(elsewhere.Path, Yaml(TestServers.RedisAdminPassword));
        var e = await Should.ThrowAsync<IssuerException>(async () => await stranger.IssueAsync(pending, Ct));
        e.Message.ShouldContain("workspace key changed");
        (await CreateProbe(stranger).RunAsync(old, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
        (await CountLoginsAsync(account)).ShouldBe(1);
    }
}
