using Keyshift.Issuers.Redis;
using Keyshift.Secrets;
using Keyshift.Tests.Issuers;
using Keyshift.Tests.Issuers.Redis;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Execution;

/// <summary>Credential replacement end to end on the real Redis of test/servers.sh: an ACL user holds old and new passwords during dual-run.</summary>
public sealed class RedisCredentialReplacementTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new();

    private static async Task<string?> AuthAsync(string user, string password)
    {
        await using var client = await RespClient.ConnectAsync("127.0.0.1", TestServers.RedisPort, false, TimeSpan.FromSeconds(5), Ct);
        return await client.AuthAsync(user, SecretValue.FromUtf8(password), Ct);
    }

    [Fact]
    public async Task ApplyThenRetire_OldPasswordRefusedByRedis_NewOneWorks()
    {
        var account = TestServers.Unique("ks");
        var password = Canary.New("redis");
        await using (var admin = await RedisIssuerTests.AdminAsync())
            (await admin.SendAsync(Ct, "ACL", "SETUSER", account, "on", ">" + password, "~*", "+@all")).IsError.ShouldBeFalse();
        _dir.Write("legacy/.env", $"REDIS_PASSWORD={password}\n");
        var config = _dir.Write("keyshift.yaml", $$"""
            version: 1
            mode: credential-replacement
            stores:
              legacy: { type: dotenv, path: legacy/.env }
              governed: { type: dotenv, path: governed/.env }
            issuers:
              cache: { type: redis, host: 127.0.0.1, port: {{TestServers.RedisPort}}, admin: env:KEYSHIFT_TEST_REDIS_ADMIN_PASSWORD }
            moves:
              - from: legacy:REDIS_PASSWORD
                to: governed:CACHE
                issuer: cache
                account: {{account}}
                probes: [{ type: redis }]
            cutover: { dualRun: 0s, quietWindow: 5s, approvals: 0 }
            """);
        var apply = await CliRunner.RunAsync(_time, "apply", "--until", "cutover", "-c", config);
        apply.ExitCode.ShouldBe(0, apply.ToString());
        var env = File.ReadAllText(_dir.File("governed/.env"));
        env.ShouldContain($"CACHE_USERNAME={account}");
        var fresh = env.Split('\n').Single(l => l.StartsWith("CACHE_PASSWORD=", StringComparison.Ordinal))["CACHE_PASSWORD=".Length..];
        (await AuthAsync(account, password)).ShouldBeNull("dual-run: the old password still works");
        (await AuthAsync(account, fresh)).ShouldBeNull();

        var retire = await CliRunner.RunAsync(_time, "retire", "-c", config);
        retire.ExitCode.ShouldBe(0, retire.ToString());
        (await AuthAsync(account, password)).ShouldNotBeNull("the old password is removed from the ACL user");
        (await AuthAsync(account, fresh)).ShouldBeNull();
        foreach (var output in new[] { apply, retire })
            Canary.FindIn(output.All, "output", [password, fresh]).ShouldBeEmpty();
    }

    /// <summary>Connections <c>CLIENT LIST</c> shows for <paramref name="user"/>.</summary>
    private static async Task<int> ConnectionsAsync(string user)
    {
        await using var admin = await RedisIssuerTests.AdminAsync();
        var list = (await admin.SendAsync(Ct, "CLIENT", "LIST")).Text ?? "";
        return list.Split('\n').Count(l => l.Contains($" user={user} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AlternatingUsers_RetireRefusedWhileConsumerUsesOldUser_ThenOldUserRefusedByRedis()
    {
        var account = TestServers.Unique("ks");
        var password = Canary.New("redis");
        await using (var admin = await RedisIssuerTests.AdminAsync())
            (await admin.SendAsync(Ct, "ACL", "SETUSER", account, "on", ">" + password, "~cache:*", "&*", "+@all", "-@dangerous")).IsError.ShouldBeFalse();
        _dir.Write("legacy/.env", $"REDIS_PASSWORD={password}\n");
        var config = _dir.Write("keyshift.yaml", $$"""
            version: 1
            mode: credential-replacement
            stores:
              legacy: { type: dotenv, path: legacy/.env }
              governed: { type: json, path: governed/secrets.json }
            issuers:
              cache: { type: redis, host: 127.0.0.1, port: {{TestServers.RedisPort}}, admin: env:KEYSHIFT_TEST_REDIS_ADMIN_PASSWORD, strategy: alternating-users }
            moves:
              - from: legacy:REDIS_PASSWORD
                to: governed:app/cache
                issuer: cache
                account: {{account}}
                probes: [{ type: redis }]
            cutover: { dualRun: 0s, quietWindow: 3s, approvals: 0 }
            """);
        var outputs = new List<CliRunner.Result>();
        async Task<CliRunner.Result> Run(params string[] args)
        {
            var result = await CliRunner.RunAsync(_time, [.. args, "-c", config]);
            outputs.Add(result);
            return result;
        }

        var apply = await Run("apply", "--until", "cutover");
        apply.ExitCode.ShouldBe(0, apply.ToString());
        var secrets = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_dir.File("governed/secrets.json")))!["app"]!["cache"]!;
        var (user, fresh) = ((string)secrets["username"]!, (string)secrets["password"]!);
        user.ShouldBe(account + "_b");
        (await AuthAsync(user, fresh)).ShouldBeNull();

        using (RedisConsumer.Start(account, password))
        {
            await Eventually.HoldsAsync(async () => await ConnectionsAsync(account) > 0, "the consumer process connected with the old user");
            (await Run("watch", "--once", "--interval", "1s")).ExitCode.ShouldBe(0);
            var held = await Run("retire");
            held.ExitCode.ShouldBe(1, held.ToString());
            held.Out.ShouldContain($"old credential `{account}` used at");
            held.Out.ShouldContain("cache/redis-clients");
            (await AuthAsync(account, password)).ShouldBeNull("a refused retirement revokes nothing");
        }
        await Eventually.HoldsAsync(async () => await ConnectionsAsync(account) == 0, "the old consumer's connection closed");

        using var switched = RedisConsumer.Start(user, fresh);
        await Eventually.HoldsAsync(async () => await ConnectionsAsync(user) > 0, "the consumer process connected with the new user");
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            (await Run("watch", "--once", "--interval", "1s")).ExitCode.ShouldBe(0);
        }
        var retire = await Run("retire");
        retire.ExitCode.ShouldBe(0, retire.ToString());

        (await AuthAsync(account, password)).ShouldNotBeNull("the old user is refused by Redis");
        (await AuthAsync(user, fresh)).ShouldBeNull("the new user works");
        (await ConnectionsAsync(user)).ShouldBe(1, "the switched consumer kept its connection");
        File.ReadAllText(_dir.File("legacy/.env")).ShouldNotContain("REDIS_PASSWORD");
        foreach (var output in outputs)
            Canary.FindIn(output.All, "output", [password, fresh]).ShouldBeEmpty();
    }

    /// <summary>The age in seconds of the oldest connection <c>CLIENT LIST</c> shows for <paramref name="user"/>, or -1.</summary>
    private static async Task<int> OldestAgeAsync(string user)
    {
        await using var admin = await RedisIssuerTests.AdminAsync();
        var list = (await admin.SendAsync(Ct, "CLIENT", "LIST")).Text ?? "";
        return list.Split('\n').Where(l => l.Contains($" user={user} ", StringComparison.Ordinal))
            .Select(l => int.Parse(l.Split(' ').First(p => p.StartsWith("age=", StringComparison.Ordinal))[4..], System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(-1).Max();
    }

    [Fact]
    public async Task MultiPassword_ConnectionOpenedBeforeTheNewPassword_HoldsRetireBack_UntilItIsGone()
    {
        var account = TestServers.Unique("ks");
        var password = Canary.New("redis");
        await using (var admin = await RedisIssuerTests.AdminAsync())
            (await admin.SendAsync(Ct, "ACL", "SETUSER", account, "on", ">" + password, "~*", "&*", "+@all")).IsError.ShouldBeFalse();
        _dir.Write("legacy/.env", $"REDIS_PASSWORD={password}\n");
        var config = _dir.Write("keyshift.yaml", $$"""
            version: 1
            mode: credential-replacement
            stores:
              legacy: { type: dotenv, path: legacy/.env }
              governed: { type: json, path: governed/secrets.json }
            issuers:
              cache: { type: redis, host: 127.0.0.1, port: {{TestServers.RedisPort}}, admin: env:KEYSHIFT_TEST_REDIS_ADMIN_PASSWORD }
            moves:
              - from: legacy:REDIS_PASSWORD
                to: governed:app/cache
                issuer: cache
                account: {{account}}
                probes: [{ type: redis }]
            cutover: { dualRun: 0s, quietWindow: 3s, approvals: 0 }
            """);
        Task<CliRunner.Result> Run(params string[] args) => CliRunner.RunAsync(_time, [.. args, "-c", config]);

        using (RedisConsumer.Start(account, password))
        {
            await Eventually.HoldsAsync(async () => await ConnectionsAsync(account) > 0, "the consumer process connected with the old password");
            var apply = await Run("apply", "--until", "cutover");
            apply.ExitCode.ShouldBe(0, apply.ToString());
            // CLIENT LIST counts age in whole seconds: the consumer's connection must be visibly older than the issue.
            await Eventually.HoldsAsync(async () => await OldestAgeAsync(account) >= 1, "the consumer's connection is a second old");
            (await Run("watch", "--once", "--interval", "1s")).ExitCode.ShouldBe(0);
            var held = await Run("retire");
            held.ExitCode.ShouldBe(1, held.ToString());
            held.Out.ShouldContain($"a connection of `{account}` opened at");
            held.Out.ShouldContain("can only be using the old password");
            (await AuthAsync(account, password)).ShouldBeNull("a refused retirement revokes nothing");
        }
        await Eventually.HoldsAsync(async () => await ConnectionsAsync(account) == 0, "the old consumer's connection closed");

        var fresh = (string)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_dir.File("governed/secrets.json")))!["app"]!["cache"]!["password"]!;
        using var switched = RedisConsumer.Start(account, fresh);
        await Eventually.HoldsAsync(async () => await ConnectionsAsync(account) > 0, "the consumer process connected with the new password");
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            (await Run("watch", "--once", "--interval", "1s")).ExitCode.ShouldBe(0);
        }
        var retire = await Run("retire");
        retire.ExitCode.ShouldBe(0, retire.ToString());
        (await AuthAsync(account, password)).ShouldNotBeNull("the old password is removed");
        (await AuthAsync(account, fresh)).ShouldBeNull();
    }

    public void Dispose() => _dir.Dispose();
}
