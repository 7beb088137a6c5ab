using System.Text.Json;
using Keyshift.Configuration;
using Keyshift.Scanning.Configuration;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Scanning;

/// <summary>The scan: section of keyshift.yaml: custom rules, allowlists, and errors naming file, line and field.</summary>
public sealed class ScanConfigTests
{
    [Fact]
    public async Task CustomRule_FindsItsPattern_AndAllowlistsApply()
    {
        using var dir = new TempDir();
        var config = dir.Write("keyshift.yaml", """
            version: 1
            scan:
              rules:
                - id: acme-key
                  description: ACME internal API key
                  pattern: 'acme_[0-9a-f]{24}'
                  keywords: [acme_]
                  entropy: 2.5
              allow:
                paths: ["fixtures/**"]
                patterns: ['^9f2c41d7']
            """);
        dir.Write("src/app.env", "ACME=acme_4c1d0b8e6f429f2c41d755be\nAPI_KEY=9f2c41d755be4a5e9a7e3c1d0b8e6f42\n");
        dir.Write("fixtures/test.env", "ACME=acme_aaaabbbbccccddddeeeeffff\nGITHUB_TOKEN=ghp_jmsn9dLVIdVuddLEG62Hkd9Gf2leMeR3pzh8\n");

        var (exit, output, _) = await ScanCli.Run("scan", dir.File("src"), dir.File("fixtures"), "-c", config, "--format", "json");

        exit.ShouldBe(1);
        var finding = JsonDocument.Parse(output).RootElement.GetProperty("findings").EnumerateArray().ShouldHaveSingleItem();
        finding.GetProperty("rule").GetString().ShouldBe("acme-key");
        finding.GetProperty("line").GetInt32().ShouldBe(1);
    }

    [Fact]
    public void BadSection_ReportsEveryProblemWithLineAndField()
    {
        using var dir = new TempDir();
        var config = dir.Write("keyshift.yaml", """
            version: 1
            scan:
              rules:
                - id: broken
                  pattern: '([a-z'
                  keywords: [x]
                - id: nokeywords
                  pattern: 'abc'
              allow:
                pathz: [x]
            """);

        var error = Should.Throw<BadInputException>(() => ScanSettings.Load(config));

        error.Errors.ShouldContain(e => e.Field == "scan.rules[0].pattern" && e.Location!.Line == 5 && e.Message.Contains("regular expression", StringComparison.Ordinal));
        error.Errors.ShouldContain(e => e.Field == "scan.rules[1].keywords");
        error.Errors.ShouldContain(e => e.Field == "scan.allow.pathz" && e.Location!.Line == 10);
    }

    [Fact]
    public async Task BadSection_ThroughTheCli_ExitsTwo()
    {
        using var dir = new TempDir();
        var config = dir.Write("keyshift.yaml", "scan:\n  maxFileSize: lots\n");
        var (exit, _, err) = await ScanCli.Run("scan", dir.Path, "-c", config);
        exit.ShouldBe(2);
        err.ShouldContain("keyshift.yaml:2");
        err.ShouldContain("scan.maxFileSize");
    }
}
