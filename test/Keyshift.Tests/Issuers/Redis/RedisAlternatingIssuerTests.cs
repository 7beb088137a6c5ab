using Keyshift.Issuers;
using Keyshift.Issuers.Redis;
using Keyshift.Probes;
using Keyshift.Secrets;

namespace Keyshift.Tests.Issuers.Redis;

/// <summary>The shared suite for Redis strategy <c>alternating-users</c> (a second ACL user with the same rules), plus its own cases.</summary>
public sealed class RedisAlternatingIssuerTests : IssuerConformanceTests
{
    private string Yaml(string adminPassword) => $"""
        type: redis
        host: 127.0.0.1
        port: {TestServers.RedisPort}
        strategy: alternating-users
        admin: file:{Dir.Write($"admin-{Guid.NewGuid():N}", adminPassword)}
        """;

    protected override Issuer CreateIssuer() => IssuerFactory.Create(Dir.Path, Yaml(TestServers.RedisAdminPassword));

    protected override Issuer CreateIssuerWithWrongAdmin(string wrongSecret) => IssuerFactory.Create(Dir.Path, Yaml(wrongSecret));

    protected override string HostileAccount() => TestServers.Unique("ks") + "a\"b;DROP'--{}*";

    protected override async Task<Credential> CreateAccountAsync(Issuer issuer, string account)
    {
        var password = "old-" + Guid.NewGuid().ToString("N");
        await using var client = await RedisIssuerTests.AdminAsync();
        (await client.SendAsync(Ct, "ACL", "SETUSER", account, "on", ">" + password, "~app:*", "%R~shared:*", "&events:*", "-@all", "+get", "+set", "(+ping ~other:*)")).IsError.ShouldBeFalse();
        return Credential.Login(issuer.Describe(account, account), SecretValue.FromUtf8(password));
    }

    protected override Probe CreateProbe(Issuer issuer) => new RedisProbe("redis", "127.0.0.1", TestServers.RedisPort, false, TimeSpan.FromSeconds(5));

    /// <summary>Enabled users among the account and its alternate.</summary>
    protected override async Task<int> CountLoginsAsync(string account)
    {
        await using var client = await RedisIssuerTests.AdminAsync();
        var count = 0;
        foreach (var user in new[] { account, account + "_b" })
        {
            if (AclRules.From(await client.SendAsync(Ct, "ACL", "GETUSER", user)) is { Enabled: true })
                count++;
        }
        return count;
    }

    private static async Task<AclRules> RulesAsync(string user)
    {
        await using var client = await RedisIssuerTests.AdminAsync();
        return AclRules.From(await client.SendAsync(Ct, "ACL", "GETUSER", user)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Issue_CreatesTheAlternateUser_WithTheSameRules()
    {
        var issuer = CreateIssuer();
        var account = Account();
        var old = await CreateAccountAsync(issuer, account);
        var pending = await issuer.PrepareAsync(IssueRequest.First(account, RequestToken.For("m", "s", "1")), Ct);
        var fresh = await issuer.IssueAsync(pending, Ct);

        fresh.Descriptor.Username.ShouldBe(account + "_b");
        // `reset` sets sanitize-payload explicitly where the original user left it to the server's default.
        (await RulesAsync(account + "_b")).Rules.Where(r => r != "sanitize-payload").ShouldBe((await RulesAsync(account)).Rules);
        (await RulesAsync(account + "_b")).Rules.ShouldContain("%R~shared:*");
        (await CreateProbe(issuer).RunAsync(old, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
    }

    [Fact]
    public async Task SecondRotation_AlternatesBackToTheAccount_AndRetiresTheAlternate()
    {
        var issuer = CreateIssuer();
        var probe = CreateProbe(issuer);
        var account = Account();
        var first = await CreateAccountAsync(issuer, account);
        var second = await issuer.IssueAsync(await issuer.PrepareAsync(IssueRequest.First(account, RequestToken.For("m", "stage", "1")), Ct), Ct);
        await issuer.RevokeAsync(first, Ct);

        var third = await issuer.IssueAsync(await issuer.PrepareAsync(new IssueRequest(account, second.Descriptor.Username, RequestToken.For("m", "stage", "2")), Ct), Ct);
        third.Descriptor.Username.ShouldBe(account);
        (await probe.RunAsync(third, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
        (await probe.RunAsync(first, Ct)).Outcome.ShouldBe(ProbeOutcome.Refused, "the first password is not brought back");
        await issuer.RevokeAsync(second, Ct);
        (await probe.RunAsync(second, Ct)).Outcome.ShouldBe(ProbeOutcome.Refused);
        (await probe.RunAsync(third, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
    }

    [Fact]
    public async Task Prepare_WhenTheAlternateIsAnEnabledUser_RefusesToTakeItOver()
    {
        var issuer = CreateIssuer();
        var account = Account();
        await CreateAccountAsync(issuer, account);
        var stranger = await CreateAccountAsync(issuer, account + "_b");
        var e = await Should.ThrowAsync<IssuerException>(async () => await issuer.PrepareAsync(IssueRequest.First(account, RequestToken.For("m", "s", "1")), Ct));
        e.Message.ShouldContain($"ACL user '{account}_b' exists and is enabled");
        e.ChangedNothing.ShouldBeTrue();
        (await CreateProbe(issuer).RunAsync(stranger, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
    }

    [Fact]
    public async Task Revoke_EndsTheOldUsersOpenConnections()
    {
        var issuer = CreateIssuer();
        var account = Account();
        var old = await CreateAccountAsync(issuer, account);
        await issuer.IssueAsync(await issuer.PrepareAsync(IssueRequest.First(account, RequestToken.For("m", "s", "1")), Ct), Ct);
        await using var consumer = await RespClient.ConnectAsync("127.0.0.1", TestServers.RedisPort, false, TimeSpan.FromSeconds(5), Ct);
        (await consumer.AuthAsync(account, old.Field(Credential.Password)!, Ct)).ShouldBeNull();

        await issuer.RevokeAsync(old, Ct);

        await Should.ThrowAsync<Exception>(async () => await consumer.SendAsync(Ct, "PING"));
    }
}
