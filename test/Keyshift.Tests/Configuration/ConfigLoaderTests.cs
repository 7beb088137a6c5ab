using Keyshift.Tests.Support;

namespace Keyshift.Tests.Configuration;

/// <summary>Bad input: a clear message naming file, line and field, exit 2, and every file as it was.</summary>
public sealed class ConfigLoaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    private async Task<CliRunner.Result> PlanExpectingBadInput(string config)
    {
        Workspaces.Create(_dir, config);
        var before = _dir.Snapshot();
        var result = await CliRunner.RunAsync("plan", "-c", _dir.File("keyshift.yaml"));
        result.ExitCode.ShouldBe(2, result.ToString());
        _dir.Snapshot().ShouldBe(before);
        Directory.Exists(_dir.File(".keyshift")).ShouldBeFalse();
        return result;
    }

    [Fact]
    public async Task MalformedYaml_NamesFileAndLine()
    {
        var result = await PlanExpectingBadInput("version: 1\nstores:\n  legacy: { type: dotenv, path: legacy/.env\nmoves: []\n");
        result.Err.ShouldContain("keyshift.yaml:");
        result.Err.ShouldContain("malformed YAML");
    }

    [Fact]
    public async Task UnknownStoreType_NamesTheField()
    {
        var result = await PlanExpectingBadInput(Workspaces.Config().Replace("type: json", "type: jsn", StringComparison.Ordinal));
        result.Err.ShouldContain("keyshift.yaml:6:");
        result.Err.ShouldContain("stores.governed.type");
        result.Err.ShouldContain("unknown store type 'jsn'");
    }

    [Fact]
    public async Task EveryProblem_IsReportedAtOnce()
    {
        var config = Workspaces.Config().Replace("type: json", "type: jsn", StringComparison.Ordinal).Replace("rotation: 30d", "rotation: soon", StringComparison.Ordinal) + "\ncolour: blue\n";
        var result = await PlanExpectingBadInput(config);
        result.Err.ShouldContain("unknown store type");
        result.Err.ShouldContain("moves[0].rotation");
        result.Err.ShouldContain("colour: unknown field");
    }

    [Fact]
    public async Task DuplicateMove_NamesBothLines()
    {
        var config = Workspaces.Config() + "\n" + """
              - from: legacy:DB_PASSWORD
                to: governed:other/db#password
            """;
        var moved = config.Replace("\ncutover:", "\n  - from: legacy:DB_PASSWORD\n    to: governed:other/db#password\ncutover:", StringComparison.Ordinal);
        var result = await PlanExpectingBadInput(moved.Split("\n\n")[0]);
        result.Err.ShouldContain("already moved at line 10");
    }

    [Fact]
    public async Task PathLeavingTheWorkspace_IsBadInput()
    {
        var result = await PlanExpectingBadInput(Workspaces.Config().Replace("path: legacy/.env", "path: ../../etc/.env", StringComparison.Ordinal));
        result.Err.ShouldContain("stores.legacy.path");
        result.Err.ShouldContain("leaves the workspace");
    }

    [Fact]
    public async Task MissingSourceSecret_NamesTheMoveLine()
    {
        var result = await PlanExpectingBadInput(Workspaces.Config().Replace("from: legacy:DB_PASSWORD", "from: legacy:DB_PASSWROD", StringComparison.Ordinal));
        result.Err.ShouldContain("legacy:DB_PASSWROD");
        result.Err.ShouldContain("not found");
        result.Err.ShouldContain("keyshift.yaml:10");
    }

    [Fact]
    public async Task PatternMatchingNothing_IsBadInput()
    {
        var result = await PlanExpectingBadInput(Workspaces.Config().Replace("legacy:STRIPE_*", "legacy:PAYPAL_*", StringComparison.Ordinal));
        result.Err.ShouldContain("matches nothing");
    }

    [Fact]
    public async Task PatternWithoutTemplate_AndUnknownStore_AndFlatAddressWithHash_AreBadInput()
    {
        var config = Workspaces.Config()
            .Replace("governed:payments/stripe#{name}", "governed:payments/stripe#key", StringComparison.Ordinal)
            .Replace("from: legacy:DB_PASSWORD", "from: legacy:DB#PASSWORD", StringComparison.Ordinal);
        var result = await PlanExpectingBadInput(config);
        result.Err.ShouldContain("needs {name} or {match}");
        result.Err.ShouldContain("is flat");
    }

    [Fact]
    public async Task MissingConfigFile_IsBadInput()
    {
        var result = await CliRunner.RunAsync("plan", "-c", _dir.File("nope.yaml"));
        result.ExitCode.ShouldBe(2);
        result.Err.ShouldContain("no such file");
    }

    public void Dispose() => _dir.Dispose();
}
