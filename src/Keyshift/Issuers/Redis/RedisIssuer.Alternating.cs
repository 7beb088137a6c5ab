using System.Security.Cryptography;

namespace Keyshift.Issuers.Redis;

/// <summary>
/// Strategy <c>alternating-users</c>: the new credential is a second ACL user — <c>{account}_b</c> while the account
/// itself is in use, the account again after that — carrying the rules of the user in use (read with <c>ACL GETUSER</c>).
/// Old and new are different users, so <c>CLIENT LIST</c> tells which one consumers still use. Retiring turns the
/// old user <c>off</c>, removes its passwords and ends its connections.
/// </summary>
public sealed partial class RedisIssuer
{
    /// <summary>The user a request alternates to: <c>{account}_b</c> from the account, the account from anything else.</summary>
    public static string AlternateOf(IssueRequest request) =>
        string.Equals(request.CurrentUsername, request.Account, StringComparison.Ordinal) ? request.Account + "_b" : request.Account;

    private async Task<CredentialDescriptor> PrepareAlternatingAsync(IssueRequest request, CancellationToken cancellationToken)
    {
        const string step = "prepare";
        await using var client = await AdminAsync(step, cancellationToken);
        _ = await RulesAsync(client, request.CurrentUsername, step, cancellationToken)
            ?? throw Fail(step, $"ACL user '{request.CurrentUsername}' does not exist on {Options.Host}:{Options.Port}");
        var target = AlternateOf(request);
        if (string.Equals(target, Options.AdminUser, StringComparison.Ordinal))
            throw Fail(step, $"ACL user '{target}' is the admin user this issuer uses; it cannot be the alternate of '{request.Account}'");
        // An enabled user by that name is someone's live login: taking it over would lock them out.
        if (await RulesAsync(client, target, step, cancellationToken) is { Enabled: true })
            throw Fail(step, $"ACL user '{target}' exists and is enabled; alternating-users switches between '{request.Account}' and '{request.Account}_b' and does not take over a user in use (retire the previous rotation, or remove the user)");
        return CredentialDescriptor.Of(Name, request.Account, target, ("strategy", "alternating-users"), ("token", request.Token.ShortHash), ("source", request.CurrentUsername));
    }

    private async Task<Credential> IssueAlternatingAsync(CredentialDescriptor pending, CancellationToken cancellationToken)
    {
        const string step = "issue";
        var source = pending.Detail("source") ?? pending.Account;
        await using var client = await AdminAsync(step, cancellationToken);
        var rules = await RulesAsync(client, source, step, cancellationToken)
            ?? throw Fail(step, $"ACL user '{source}' (the user whose rules are copied) does not exist on {Options.Host}:{Options.Port}");
        var password = Options.Passwords.Next();
        // `reset` first: a resumed step (or the retired user of an earlier rotation) keeps none of its old passwords or rules.
        string[] command = ["ACL", "SETUSER", pending.Username, "reset", "on", "#" + Convert.ToHexStringLower(SHA256.HashData(password.Bytes)), .. rules.Rules];
        var reply = await client.SendAsync(cancellationToken, command);
        if (reply.IsError)
            throw Fail(step, $"ACL SETUSER '{pending.Username}' failed: {reply.Text}");
        return Credential.Login(pending, password);
    }

    private async Task RevokeAlternatingAsync(Credential credential, CancellationToken cancellationToken)
    {
        const string step = "revoke";
        var user = credential.Descriptor.Username;
        if (string.Equals(user, Options.AdminUser, StringComparison.Ordinal))
            throw Fail(step, $"refusing to revoke ACL user '{user}': it is the admin user this issuer uses");
        await using var client = await AdminAsync(step, cancellationToken);
        if (await RulesAsync(client, user, step, cancellationToken) is null)
            return;
        var off = await client.SendAsync(cancellationToken, "ACL", "SETUSER", user, "off", "resetpass");
        if (off.IsError)
            throw Fail(step, $"ACL SETUSER '{user}' off failed: {off.Text} (the user can still log in)");
        // Connections authenticated before `off` would keep working: end them.
        var kill = await client.SendAsync(cancellationToken, "CLIENT", "KILL", "USER", user);
        if (kill.IsError)
            throw Fail(step, $"ACL user '{user}' is off, but its open connections could not be ended: {kill.Text} (run retire again)", changedNothing: false);
    }

    private async Task<AclRules?> RulesAsync(RespClient client, string user, string step, CancellationToken cancellationToken)
    {
        var reply = await client.SendAsync(cancellationToken, "ACL", "GETUSER", user);
        if (reply.IsError)
            throw Fail(step, $"ACL GETUSER '{user}' failed: {reply.Text} (the admin user needs the ACL command)");
        return AclRules.From(reply);
    }
}
