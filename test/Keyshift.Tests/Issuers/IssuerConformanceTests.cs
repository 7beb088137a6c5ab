using Keyshift.Issuers;
using Keyshift.Probes;
using Keyshift.Secrets;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Issuers;

/// <summary>
/// The one suite every issuer passes against its real server (teller's ProviderTest): issue → new works while
/// old still works → revoke old → old refused by the server, new still works; the same token never makes a
/// second credential (a resumed step after a crash leaves no orphan); hostile names; wrong admin credentials.
/// </summary>
public abstract class IssuerConformanceTests : IDisposable
{
    protected TempDir Dir { get; } = new();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The issuer under test, over the real server, with working admin credentials.</summary>
    protected abstract Issuer CreateIssuer();

    /// <summary>The same issuer with admin credentials the server refuses (the wrong password is <paramref name="wrongSecret"/>).</summary>
    protected abstract Issuer CreateIssuerWithWrongAdmin(string wrongSecret);

    /// <summary>Creates an account at the server that works with a known credential, returns that (old) credential.</summary>
    protected abstract Task<Credential> CreateAccountAsync(Issuer issuer, string account);

    /// <summary>A probe over the issuer's endpoint.</summary>
    protected abstract Probe CreateProbe(Issuer issuer);

    /// <summary>How many logins exist for the account at the server (the account itself and the ones issued for it).</summary>
    protected abstract Task<int> CountLoginsAsync(string account);

    /// <summary>An account name full of characters that break naive quoting.</summary>
    protected virtual string HostileAccount() => TestServers.Unique("ks") + "a\"b; DROP ROLE x'--";

    protected virtual string Account() => TestServers.Unique("ks");

    private async Task<Credential> IssueAsync(Issuer issuer, Credential old, RequestToken token)
    {
        var pending = await issuer.PrepareAsync(new IssueRequest(old.Descriptor.Account, old.Descriptor.Username, token), Ct);
        return await issuer.IssueAsync(pending, Ct);
    }

    [Fact]
    public async Task Rotation_NewWorksBesideOld_ThenOldRevokedIsRefused_NewStillWorks()
    {
        var issuer = CreateIssuer();
        var probe = CreateProbe(issuer);
        var old = await CreateAccountAsync(issuer, Account());
        (await probe.RunAsync(old, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);

        var fresh = await IssueAsync(issuer, old, RequestToken.For("move-1", "stage", "1"));

        (await probe.RunAsync(fresh, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
        (await probe.RunAsync(old, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
        await issuer.RevokeAsync(old, Ct);
        var refused = await probe.RunAsync(old, Ct);
        refused.Outcome.ShouldBe(ProbeOutcome.Refused, refused.Reason);
        refused.Meets(ProbeExpectation.Refused).ShouldBeTrue();
        (await probe.RunAsync(fresh, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
    }

    [Fact]
    public async Task Issue_SameTokenTwice_MakesNoSecondCredential_AndTheLastOneWorks()
    {
        var issuer = CreateIssuer();
        var account = Account();
        var old = await CreateAccountAsync(issuer, account);
        var before = await CountLoginsAsync(account);
        var token = RequestToken.For("move-2", "stage", "1");

        // The engine prepares once and persists the pending descriptor; a repeated step issues from that descriptor again.
        var pending = await issuer.PrepareAsync(new IssueRequest(account, old.Descriptor.Username, token), Ct);
        var first = await issuer.IssueAsync(pending, Ct);
        var second = await issuer.IssueAsync(pending, Ct);

        (await CountLoginsAsync(account)).ShouldBeLessThanOrEqualTo(before + 1);
        second.Descriptor.Username.ShouldBe(first.Descriptor.Username);
        (await CreateProbe(issuer).RunAsync(second, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
    }

    [Fact]
    public async Task Resume_AfterCrashBetweenIssueAndStore_LeavesNoOrphan()
    {
        var issuer = CreateIssuer();
        var account = Account();
        var old = await CreateAccountAsync(issuer, account);
        var token = RequestToken.For("move-3", "stage", "1");
        // The engine persisted the pending descriptor, the credential was created, and the process died before storing it.
        var pending = await issuer.PrepareAsync(new IssueRequest(account, old.Descriptor.Username, token), Ct);
        var lost = await issuer.IssueAsync(pending, Ct);
        var persisted = CredentialDescriptor.FromJson(pending.ToJson());

        var resumedIssuer = CreateIssuer();
        var resumed = await resumedIssuer.IssueAsync(persisted, Ct);

        (await CreateProbe(resumedIssuer).RunAsync(resumed, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
        await AssertNoOrphanAsync(resumedIssuer, account, lost, resumed);
    }

    /// <summary>What "no orphan" means at this issuer: by default the lost secret no longer authenticates and no extra login exists.</summary>
    protected virtual async Task AssertNoOrphanAsync(Issuer issuer, string account, Credential lost, Credential resumed)
    {
        resumed.Field(Credential.Password)!.Equals(lost.Field(Credential.Password)).ShouldBeFalse();
        (await CreateProbe(issuer).RunAsync(lost, Ct)).Outcome.ShouldBe(ProbeOutcome.Refused, "the lost credential is an orphan");
        (await CountLoginsAsync(account)).ShouldBe(2, "the account's own login and exactly one issued");
    }

    [Fact]
    public async Task HostileAccountName_IsQuoted_AndRotates()
    {
        var issuer = CreateIssuer();
        var old = await CreateAccountAsync(issuer, HostileAccount());
        var fresh = await IssueAsync(issuer, old, RequestToken.For("move-4", "stage", "1"));
        var probe = CreateProbe(issuer);
        (await probe.RunAsync(fresh, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
        await issuer.RevokeAsync(old, Ct);
        (await probe.RunAsync(old, Ct)).Outcome.ShouldBe(ProbeOutcome.Refused);
    }

    [Fact]
    public async Task WrongAdminCredentials_FailClearly_NamingIssuerAndStep_WithoutTheSecret()
    {
        var canary = "Canary" + Guid.NewGuid().ToString("N");
        var issuer = CreateIssuerWithWrongAdmin(canary);
        var e = await Should.ThrowAsync<IssuerException>(async () => await issuer.PrepareAsync(IssueRequest.First("anyone", RequestToken.For("m", "stage", "1")), Ct));
        e.Message.ShouldContain($"issuer '{issuer.Name}'");
        e.Message.ShouldContain("prepare");
        e.ChangedNothing.ShouldBeTrue();
        SecretAssert.NotIn(e.ToString(), canary);
    }

    [Fact]
    public async Task Revoke_IsIdempotent()
    {
        var issuer = CreateIssuer();
        var old = await CreateAccountAsync(issuer, Account());
        var fresh = await IssueAsync(issuer, old, RequestToken.For("move-5", "stage", "1"));
        await issuer.RevokeAsync(old, Ct);
        await issuer.RevokeAsync(old, Ct);
        (await CreateProbe(issuer).RunAsync(fresh, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
    }

    [Fact]
    public async Task Rollback_RevokesTheNewCredential_OldKeepsWorking()
    {
        var issuer = CreateIssuer();
        var old = await CreateAccountAsync(issuer, Account());
        var fresh = await IssueAsync(issuer, old, RequestToken.For("move-6", "stage", "1"));
        await issuer.RevokeAsync(fresh, Ct);
        var probe = CreateProbe(issuer);
        (await probe.RunAsync(fresh, Ct)).Outcome.ShouldBe(ProbeOutcome.Refused);
        (await probe.RunAsync(old, Ct)).Outcome.ShouldBe(ProbeOutcome.Succeeded);
    }

    [Fact]
    public async Task SecretsNeverAppear_InDescriptorsOrProbeReasons()
    {
        var issuer = CreateIssuer();
        var old = await CreateAccountAsync(issuer, Account());
        var pending = await issuer.PrepareAsync(new IssueRequest(old.Descriptor.Account, old.Descriptor.Username, RequestToken.For("move-7", "stage", "1")), Ct);
        var fresh = await issuer.IssueAsync(pending, Ct);
        var result = await CreateProbe(issuer).RunAsync(fresh, Ct);
        foreach (var (name, value) in fresh.Fields.Where(f => f.Key != Credential.Username))
        {
            SecretAssert.NotIn(pending.ToJson(), value);
            SecretAssert.NotIn(fresh.Descriptor.ToJson(), value);
            SecretAssert.NotIn(result.ToString(), value);
            SecretAssert.NotIn(fresh.ToString(), value);
        }
    }

    public void Dispose()
    {
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
