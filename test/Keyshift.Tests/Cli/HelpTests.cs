using Keyshift.Tests.Support;

namespace Keyshift.Tests.Cli;

/// <summary>--help teaches: every command answers it with its usage, a description and its options.</summary>
public sealed class HelpTests
{
    public static TheoryData<string> Commands() =>
        ["init", "plan", "apply", "status", "verify", "drift", "approve", "retire", "rollback", "demo", "audit", "api", "export", "import", "scan"];

    [Fact]
    public async Task RootHelp_ListsEveryCommand_AndTheExitCodes()
    {
        var help = await CliRunner.RunAsync("--help");
        help.ExitCode.ShouldBe(0);
        foreach (var command in Commands())
            help.Out.ShouldContain(command);
        help.Out.ShouldContain("Exit codes");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task EveryCommand_AnswersHelp_WithUsageAndADescription(string command)
    {
        var help = await CliRunner.RunAsync(command, "--help");
        help.ExitCode.ShouldBe(0, help.ToString());
        help.Out.ShouldContain("Usage:");
        help.Out.ShouldContain($"{command}");
        help.Out.Split('\n').Length.ShouldBeGreaterThan(5);
    }

    [Fact]
    public async Task UnknownOption_IsBadInput_WithAHint()
    {
        var result = await CliRunner.RunAsync("plan", "--colour");
        result.ExitCode.ShouldBe(2);
        result.Err.ShouldContain("--help");
    }
}
