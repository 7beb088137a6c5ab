using Keyshift.Tests.Support;

namespace Keyshift.Tests.Cli;

public sealed class DemoTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task Demo_MigratesTheSamples_AndASecondRunChangesNothingAndSaysSo()
    {
        var folder = _dir.File("demo");
        var first = await CliRunner.RunAsync("demo", "--dir", folder);
        first.ExitCode.ShouldBe(0, first.ToString());
        first.Out.ShouldContain("6 retired");
        first.Out.ShouldContain("intact");
        var env = File.ReadAllText(Path.Combine(folder, "legacy", ".env"));
        env.ShouldNotContain("DB_PASSWORD");
        env.ShouldContain("LOG_LEVEL=info");
        File.ReadAllText(Path.Combine(folder, "governed", "secrets.json")).ShouldContain("STRIPE_WEBHOOK_SECRET");
        File.ReadAllText(Path.Combine(folder, "legacy", "config.yaml")).ShouldContain("queue: invoices   # not a secret");

        var before = _dir.Snapshot(".keyshift");
        var second = await CliRunner.RunAsync("demo", "--dir", folder);
        second.ExitCode.ShouldBe(0, second.ToString());
        second.Out.ShouldContain("already retired");
        _dir.Snapshot(".keyshift").ShouldBe(before);
    }

    public void Dispose() => _dir.Dispose();
}
