using Keyshift.Tests.Support;

namespace Keyshift.Tests.Execution;

/// <summary>Secret values never leave the secret path: every command, on success and failure, is searched for canaries.</summary>
public sealed class CanaryTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new();
    private readonly List<(string Where, string Text)> _outputs = [];
    private readonly string[] _canaries = [Canary.New("db"), Canary.New("stripe"), Canary.New("webhook")];

    private async Task<CliRunner.Result> Run(params string[] args)
    {
        var result = await CliRunner.RunAsync(_time, [.. args, "-c", _dir.File("keyshift.yaml")]);
        _outputs.Add(($"`keyshift {string.Join(' ', args)}` output", result.All));
        return result;
    }

    [Fact]
    public async Task EveryCommand_OnSuccessAndFailure_LeaksNoValue_InOutputStateAuditOrPlan()
    {
        var env = $"DB_PASSWORD=\"{_canaries[0]}\"\nSTRIPE_SECRET_KEY={_canaries[1]}\nSTRIPE_WEBHOOK_SECRET='{_canaries[2]}'\nLOG_LEVEL=info\n";
        Workspaces.Create(_dir, Workspaces.Config("{ dualRun: 1h, quietWindow: 0s, approvals: 1 }"), env);

        // failure paths first: a conflict, a stale plan, a missing source
        _dir.Write("governed/secrets.json", $"{{ \"payments\": {{ \"db\": {{ \"password\": \"{Canary.New("foreign")}x\" }} }} }}");
        (await Run("plan")).ExitCode.ShouldBe(1);
        (await Run("apply")).ExitCode.ShouldBe(1);
        File.Delete(_dir.File("governed/secrets.json"));
        (await Run("plan", "--out", _dir.File("plan.json"))).ExitCode.ShouldBe(0);
        File.AppendAllText(_dir.File("legacy/.env"), $"STRIPE_LATE={Canary.New("late")}\n");
        (await Run("apply", "--plan", _dir.File("plan.json"))).ExitCode.ShouldBe(2);

        // the whole happy path, every format
        (await Run("plan", "--format", "json")).ExitCode.ShouldBe(0);
        (await Run("apply", "--until", "staged", "--format", "json")).ExitCode.ShouldBe(0);
        (await Run("verify")).ExitCode.ShouldBe(0);
        (await Run("apply", "--until", "cutover")).ExitCode.ShouldBe(0);
        (await Run("status")).ExitCode.ShouldBe(0);
        (await Run("status", "--format", "json")).ExitCode.ShouldBe(0);
        (await Run("retire")).ExitCode.ShouldBe(1);
        File.WriteAllText(_dir.File("governed/secrets.json"), File.ReadAllText(_dir.File("governed/secrets.json")).Replace(_canaries[1], _canaries[1] + "-tampered", StringComparison.Ordinal));
        (await Run("drift")).ExitCode.ShouldBe(1);
        (await Run("drift", "--format", "json")).ExitCode.ShouldBe(1);
        (await Run("verify", "--format", "json")).ExitCode.ShouldBe(1);
        (await Run("rollback", "--move", "legacy:STRIPE_SECRET_KEY")).ExitCode.ShouldBe(0);
        _time.Advance(TimeSpan.FromHours(2));
        (await Run("approve", "--all", "--by", "bob")).ExitCode.ShouldBe(0);
        (await Run("retire", "--format", "json")).ExitCode.ShouldBe(0);
        (await Run("status")).ExitCode.ShouldBe(0);

        var leaks = new List<string>();
        var all = _canaries.ToList();
        foreach (var (where, text) in _outputs)
            leaks.AddRange(Canary.FindIn(text, where, all));
        foreach (var file in Directory.EnumerateFiles(_dir.File(".keyshift"), "*", SearchOption.AllDirectories).Append(_dir.File("plan.json")))
            leaks.AddRange(Canary.FindIn(File.ReadAllBytes(file), file, all));
        leaks.ShouldBeEmpty();
        _outputs.Count.ShouldBeGreaterThan(15);
    }

    public void Dispose() => _dir.Dispose();
}
