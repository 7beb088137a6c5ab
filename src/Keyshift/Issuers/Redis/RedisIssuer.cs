using System.Security.Cryptography;
using System.Net.Sockets;
using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.Telemetry;

namespace Keyshift.Issuers.Redis;

/// <summary>
/// Redis ACL users. Strategy <c>multi-password</c> (default): users hold several passwords natively, so issuing adds a new password to the same user
/// (<c>ACL SETUSER user #sha256</c>: only the hash leaves Keyshift), retiring removes the old one (<c>!sha256</c>).
/// To keep a resumed step from leaving an orphan password, <see cref="PrepareAsync"/> records keyed fingerprints
/// of the hashes the user has before the step; a password found later that is not among them was added by an
/// earlier attempt of this step and is removed when the step runs again. Strategy <c>alternating-users</c>: see RedisIssuer.Alternating.cs.
/// </summary>
public sealed partial class RedisIssuer(string name, RedisIssuerOptions options, CredentialResolver credentials, FingerprintKey key) : Issuer(name)
{
    public RedisIssuerOptions Options { get; } = options;

    public override string Type => "redis";

    public override IReadOnlyList<string> Fields => [Credential.Username, Credential.Password];

    public override Endpoint? Endpoint => new(Options.Host, Options.Port, TlsMode: Options.Tls ? "tls" : null);

    public static Issuer? Create(IssuerContext context)
    {
        var s = context.Settings;
        s.AllowOnly("type", "host", "port", "adminUser", "admin", "tls", "strategy", "timeout", "length", "alphabet");
        var admin = s.Credential("admin");
        if (admin is null && !s.Has("admin"))
            s.Error("admin", "is required: env:NAME, file:PATH or a store address holding the admin user's password");
        var strategy = RedisStrategy.MultiPassword;
        switch (s.String("strategy"))
        {
            case null or "multi-password": break;
            case "alternating-users": strategy = RedisStrategy.AlternatingUsers; break;
            case var other:
                s.Error("strategy", $"'{other}' is not a strategy; expected multi-password or alternating-users");
                break;
        }
        var options = new RedisIssuerOptions
        {
            Strategy = strategy,
            Host = s.String("host") ?? "127.0.0.1",
            Port = s.Int("port", 1, 65535) ?? 6379,
            AdminUser = s.String("adminUser") ?? "default",
            Admin = admin ?? new CredentialReference("env", "?"),
            Tls = s.Bool("tls") ?? false,
            Timeout = s.Duration("timeout") ?? TimeSpan.FromSeconds(10),
            Passwords = PasswordGenerator.FromSettings(s, 48, PasswordGenerator.AlphaNumeric),
        };
        return new RedisIssuer(context.Name, options, context.Credentials, context.Key);
    }

    internal async Task<RespClient> AdminAsync(string step, CancellationToken cancellationToken)
    {
        var password = await credentials.ResolveAsync(Options.Admin, $"issuer '{Name}' (redis): {step}", "admin", cancellationToken);
        RespClient client;
        try
        {
            client = await RespClient.ConnectAsync(Options.Host, Options.Port, Options.Tls, Options.Timeout, cancellationToken);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or System.Security.Authentication.AuthenticationException)
        {
            throw Fail(step, $"cannot reach {Options.Host}:{Options.Port} ({e.Message})", e);
        }
        var error = await client.AuthAsync(Options.AdminUser, password, cancellationToken);
        if (error is not null)
        {
            await client.DisposeAsync();
            throw Fail(step, $"the server at {Options.Host}:{Options.Port} refused the admin credentials for user '{Options.AdminUser}' ({FirstWord(error)})");
        }
        return client;
    }

    public override async ValueTask<CredentialDescriptor> PrepareAsync(IssueRequest request, CancellationToken cancellationToken)
    {
        const string step = "prepare";
        if (Options.Strategy == RedisStrategy.AlternatingUsers)
            return await PrepareAlternatingAsync(request, cancellationToken);
        await using var client = await AdminAsync(step, cancellationToken);
        var hashes = await PasswordHashesAsync(client, request.Account, step, cancellationToken)
            ?? throw Fail(step, $"ACL user '{request.Account}' does not exist on {Options.Host}:{Options.Port}");
        return CredentialDescriptor.Of(Name, request.Account, request.Account,
            ("token", request.Token.ShortHash), ("before", string.Join(",", hashes.Select(MacOf).Order(StringComparer.Ordinal))), ("keyCheck", MacOf(KeyCheck)));
    }

    public override async ValueTask<Credential> IssueAsync(CredentialDescriptor pending, CancellationToken cancellationToken)
    {
        const string step = "issue";
        if (Options.Strategy == RedisStrategy.AlternatingUsers)
            return await IssueAlternatingAsync(pending, cancellationToken);
        // Without the same workspace key the fingerprints cannot be compared, and every password would look new:
        // refuse rather than remove passwords that consumers use.
        if (pending.Detail("keyCheck") != MacOf(KeyCheck))
            throw Fail(step, $"the workspace key changed since this step was prepared; cannot tell which passwords of ACL user '{pending.Username}' an earlier attempt added");
        var before = (pending.Detail("before") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        await using var client = await AdminAsync(step, cancellationToken);
        var hashes = await PasswordHashesAsync(client, pending.Username, step, cancellationToken)
            ?? throw Fail(step, $"ACL user '{pending.Username}' does not exist on {Options.Host}:{Options.Port}");
        var password = Options.Passwords.Next();
        var rules = new List<string> { "ACL", "SETUSER", pending.Username };
        // Hashes that appeared since prepare are an earlier attempt's passwords, never stored: remove them.
        rules.AddRange(hashes.Where(h => !before.Contains(MacOf(h))).Select(h => "!" + h));
        rules.Add("#" + Sha256Hex(password));
        var reply = await client.SendAsync(cancellationToken, [.. rules]);
        if (reply.IsError)
            throw Fail(step, $"ACL SETUSER '{pending.Username}' failed: {reply.Text}");
        return Credential.Login(pending, password);
    }

    public override async ValueTask RevokeAsync(Credential credential, CancellationToken cancellationToken)
    {
        const string step = "revoke";
        if (Options.Strategy == RedisStrategy.AlternatingUsers)
        {
            await RevokeAlternatingAsync(credential, cancellationToken);
            return;
        }
        var user = credential.Descriptor.Username;
        var password = credential.Field(Credential.Password)
            ?? throw Fail(step, $"the password of ACL user '{user}' is needed to remove it (Redis users hold several passwords)");
        await using var client = await AdminAsync(step, cancellationToken);
        var hashes = await PasswordHashesAsync(client, user, step, cancellationToken);
        var hash = Sha256Hex(password);
        if (hashes is null || !hashes.Contains(hash))
            return;
        if (hashes.Count == 1)
            throw Fail(step, $"refusing to remove the only password of ACL user '{user}': the user would be locked out; issue the new credential first");
        var reply = await client.SendAsync(cancellationToken, "ACL", "SETUSER", user, "!" + hash);
        if (reply.IsError)
            throw Fail(step, $"ACL SETUSER '{user}' failed: {reply.Text}");
    }

    public override CredentialDescriptor Describe(string account, string username) =>
        CredentialDescriptor.Of(Name, account, username, ("strategy", StrategyName));

    private string StrategyName => Options.Strategy == RedisStrategy.AlternatingUsers ? "alternating-users" : "multi-password";

    public override IReadOnlyList<TelemetrySource> TelemetrySources(TimeProvider time) =>
        [new RedisClientsSource($"{Name}/redis-clients", ct => AdminAsync("telemetry", ct), time), new RedisAclLogSource($"{Name}/redis-acl-log", ct => AdminAsync("telemetry", ct), time)];

    /// <summary>The user's password hashes, or null when the user does not exist.</summary>
    private async Task<List<string>?> PasswordHashesAsync(RespClient client, string user, string step, CancellationToken cancellationToken)
    {
        var reply = await client.SendAsync(cancellationToken, "ACL", "GETUSER", user);
        if (reply.IsError)
            throw Fail(step, $"ACL GETUSER '{user}' failed: {reply.Text} (the admin user needs the ACL command)");
        if (reply.Items is not { } items)
            return null;
        for (var i = 0; i + 1 < items.Count; i += 2)
        {
            if (items[i].Text == "passwords")
                return items[i + 1].Items?.Select(x => x.Text ?? "").ToList() ?? [];
        }
        return [];
    }

    // A keyed fingerprint, so the state database never holds Redis's unsalted hash of a (possibly weak) old password.
    private string MacOf(string hash) => Convert.ToHexStringLower(key.Mac("redis-acl", System.Text.Encoding.ASCII.GetBytes(hash)))[..24];

    private const string KeyCheck = "keyshift-redis-key-check";

    private static string Sha256Hex(SecretValue value) => Convert.ToHexStringLower(SHA256.HashData(value.Bytes));

    private static string FirstWord(string error) => error.Split(' ', 2)[0];
}
