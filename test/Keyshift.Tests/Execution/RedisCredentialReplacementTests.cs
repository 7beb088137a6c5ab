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

    public void Dispose() => _dir.Dispose();
}
