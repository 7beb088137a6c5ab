using System.Text;
using System.Text.Json;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Execution;

/// <summary>
/// A real <c>keyshift apply</c> process over 5,000 secrets, killed (SIGKILL) at random moments several times and
/// resumed: every value ends byte-equal in the target, every move in one consistent state, nothing duplicated.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private const int Secrets = 5000;
    private readonly TempDir _dir = new();

    [Fact]
    public async Task KilledAtRandomMoments_ThenResumed_ConvergesWithEveryValueExactlyOnce()
    {
        var env = new StringBuilder("# generated legacy file\nKEEP_ME=not-a-secret\n");
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Secrets; i++)
        {
            var value = $"v{i}-{Guid.NewGuid():N}";
            expected[$"SVC_{i:D5}"] = value;
            env.Append($"SVC_{i:D5}={value}\n");
        }
        Workspaces.Create(_dir, """
            version: 1
            name: crash
            stores:
              legacy: { type: dotenv, path: legacy/.env }
              governed: { type: json, path: governed/secrets.json }
            moves:
              - from: legacy:SVC_*
                to: governed:svc/all#{name}
            cutover: { dualRun: 0s, quietWindow: 0s, approvals: 0 }
            """, env.ToString());
        var config = _dir.File("keyshift.yaml");
        var random = new Random(20261122);
        var kills = 0;
        for (var attempt = 0; attempt < 8; attempt++)
        {
            using var process = CliProcess.Start("apply", "-c", config, "--batch-size", "400");
            var exited = process.WaitForExit(random.Next(300, 2500));
            if (!exited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(TestContext.Current.CancellationToken);
                kills++;
            }
            else if (process.ExitCode == 0)
            {
                break;
            }
        }
        using (var final = CliProcess.Start("apply", "-c", config))
        {
            var output = await final.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken) + await final.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await final.WaitForExitAsync(TestContext.Current.CancellationToken);
            final.ExitCode.ShouldBe(0, output);
        }
        kills.ShouldBeGreaterThan(0, "the test must actually kill the process at least once");

        var target = JsonDocument.Parse(File.ReadAllText(_dir.File("governed/secrets.json"))).RootElement.GetProperty("svc").GetProperty("all");
        var written = target.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.Ordinal);
        written.Count.ShouldBe(Secrets);
        foreach (var (key, value) in expected)
            written[key].ShouldBe(value, key);
        File.ReadAllText(_dir.File("legacy/.env")).ShouldBe("# generated legacy file\nKEEP_ME=not-a-secret\n");

        var status = await CliRunner.RunAsync("status", "-c", config, "--format", "json");
        var states = JsonDocument.Parse(status.Out).RootElement.GetProperty("moves").EnumerateArray().Select(m => m.GetProperty("state").GetString()).ToList();
        states.Count.ShouldBe(Secrets);
        states.ShouldAllBe(s => s == "retired");
        var audit = await CliRunner.RunAsync("audit", "verify", "-c", config);
        audit.ExitCode.ShouldBe(0, audit.ToString());
    }

    public void Dispose() => _dir.Dispose();
}
