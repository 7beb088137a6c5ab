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
        var ct = TestContext.Current.CancellationToken;
        var rotation = await PostgresRotation.CreateAsync(_dir, cutover: "{ dualRun: 0s, quietWindow: 0s, approvals: 0 }");
        var random = new Random(20261122);
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
        using (var final = CliProcess.Start("apply", "-c", rotation.Config))
        {
            var output = await final.StandardOutput.ReadToEndAsync(ct) + await final.StandardError.ReadToEndAsync(ct);
            await final.WaitForExitAsync(ct);
            final.ExitCode.ShouldBe(0, output);
        }

        var roles = await rotation.RolesAsync();
        roles.Count.ShouldBe(2, $"{kills} kills; roles: {string.Join(", ", roles)}");
        var user = rotation.Target("username").ShouldNotBeNull();
        roles.ShouldContain((user, true));
        roles.ShouldContain((rotation.Account, false));
        (await PostgresRotation.LoginAsync(user, rotation.Target("password")!)).ShouldBeNull();
        (await PostgresRotation.LoginAsync(rotation.Account, rotation.Password)).ShouldNotBeNull();
    }

    public void Dispose() => _dir.Dispose();
}
