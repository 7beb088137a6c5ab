using Keyshift.Tests.Support;

namespace Keyshift.Tests.Execution;

/// <summary>
/// A real <c>keyshift apply</c> process rotating a PostgreSQL credential all the way to retirement, killed (SIGKILL)
/// at random moments and resumed: in the end exactly one new role exists, it logs in with what the target holds,
/// and the old one is NOLOGIN and refused.
/// </summary>
public sealed class CredentialCrashTests : IDisposable
{
    private readonly TempDir _dir = new();

    // The CLI's own output folder: the test's copy lacks assemblies Npgsql needs at run time (the issuer path loads them).
    [Fact]
    public async Task KilledAtRandomPointsOfApply_ThenResumed_ExactlyOneNewRoleAndNoOrphan()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir, cutover: "{ dualRun: 0s, quietWindow: 0s, approvals: 0 }");
        var kills = await KillAndResumeAsync(rotation, new Random(20261122));

        var roles = await rotation.RolesAsync();
        roles.Count.ShouldBe(2, $"{kills} kills; roles: {string.Join(", ", roles)}");
        var user = rotation.Target("username").ShouldNotBeNull();
        roles.ShouldContain((user, true));
        roles.ShouldContain((rotation.Account, false));
        (await PostgresRotation.LoginAsync(user, rotation.Target("password")!)).ShouldBeNull();
        (await PostgresRotation.LoginAsync(rotation.Account, rotation.Password)).ShouldNotBeNull();
    }

    [Fact]
    public async Task SecondRotation_KilledAtRandomPoints_ThenResumed_AlternatesBackExactlyOnce()
    {
        var rotation = await PostgresRotation.CreateAsync(_dir, cutover: "{ dualRun: 0s, quietWindow: 0s, approvals: 0 }");
        await KillAndResumeAsync(rotation, new Random(1));
        var (issued, issuedPassword) = (rotation.Target("username")!, rotation.Target("password")!);
        File.WriteAllText(rotation.Config, File.ReadAllText(rotation.Config)
            .Replace("  governed: { type: json, path: governed/secrets.json }", "  governed: { type: json, path: governed/secrets.json }\n  next: { type: json, path: next/secrets.json }", StringComparison.Ordinal)
            .Replace("cutover:", $"  - from: governed:app/db\n    to: next:app/db\n    issuer: db\n    account: {rotation.Account}\n    probes: [{{ type: postgres }}]\ncutover:", StringComparison.Ordinal));

        var kills = await KillAndResumeAsync(rotation, new Random(20261123));

        var roles = await rotation.RolesAsync();
        roles.ShouldBe([(rotation.Account, true), (issued, false)], $"{kills} kills");
        var next = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_dir.File("next/secrets.json")))!["app"]!["db"]!;
        ((string)next["username"]!).ShouldBe(rotation.Account);
        (await PostgresRotation.LoginAsync(rotation.Account, (string)next["password"]!)).ShouldBeNull();
        (await PostgresRotation.LoginAsync(issued, issuedPassword)).ShouldNotBeNull();
    }

    /// <summary>Runs <c>keyshift apply</c> as a process, SIGKILLed at random moments, then once more to the end; returns the kills.</summary>
    private static async Task<int> KillAndResumeAsync(PostgresRotation rotation, Random random)
    {
        var ct = TestContext.Current.CancellationToken;
        var kills = 0;
        for (var attempt = 0; attempt < 8; attempt++)
        {
            using var process = CliProcess.Start("apply", "-c", rotation.Config);
            if (!process.WaitForExit(random.Next(200, 3000)))
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(ct);
                kills++;
                continue;
            }
            break;
        }
        using var final = CliProcess.Start("apply", "-c", rotation.Config);
        var output = await final.StandardOutput.ReadToEndAsync(ct) + await final.StandardError.ReadToEndAsync(ct);
        await final.WaitForExitAsync(ct);
        final.ExitCode.ShouldBe(0, output);
        return kills;
    }

    public void Dispose() => _dir.Dispose();
}
