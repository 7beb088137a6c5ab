using System.Text.Json;
using System.Xml.Linq;
using Keyshift.Cli;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Apis;

/// <summary>End to end through the CLI on the payments API v1 (API key) → v2 (OAuth2 client credentials).</summary>
public sealed class ApiDiffCommandTests
{
    internal static string FixturePath(string name) => Fixture(name);

    private static string Fixture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "test", "Keyshift.Tests", "Apis", "Fixtures", name);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException(name);
    }

    private static readonly string V1 = Fixture("payments-v1.yaml");
    private static readonly string V2 = Fixture("payments-v2.yaml");

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await KeyshiftCommand.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Text_GroupsBySeverity_AndExitsOneOnBreaking()
    {
        var (exit, output, _) = await Run("api", "diff", V1, V2);
        exit.ShouldBe(1);
        output.ShouldContain("BREAKING (");
        output.ShouldContain("WARNING (");
        output.ShouldNotContain("\nINFO (", Case.Sensitive);
        output.ShouldContain("KS-API-003 operation-renamed: `GET /charges/{id}` moved to `GET /payments/{paymentId}`");
        output.ShouldContain("clients must obtain a token from https://auth.example.com/oauth2/token with client credentials (scope charges:read) instead of sending the API key in header `X-API-Key`");
        output.ShouldContain("`POST /refunds` was removed before its sunset date 2027-03-31");
        output.ShouldContain("KS-API-080 rate-limit-lowered");
        output.ShouldContain("info not shown; --changelog shows them");
        output.ShouldNotContain("\u001b[");
    }

    [Fact]
    public async Task Changelog_ShowsInfo()
    {
        var (_, output, _) = await Run("api", "diff", V1, V2, "--changelog");
        output.ShouldContain("INFO (");
        output.ShouldContain("KS-API-093 webhook-added");
    }

    [Fact]
    public async Task SameDocument_ExitsZero()
    {
        var (exit, output, _) = await Run("api", "diff", V1, V1);
        exit.ShouldBe(0);
        output.ShouldContain("0 breaking, 0 warning, 0 info.");
    }

    [Fact]
    public async Task Json_ListsEveryChangeWithBothLocations()
    {
        var (exit, output, _) = await Run("api", "diff", V1, V2, "--format", "json", "--changelog");
        exit.ShouldBe(1);
        using var json = JsonDocument.Parse(output);
        var changes = json.RootElement.GetProperty("changes").EnumerateArray().ToList();
        var removed = changes.First(c => c.GetProperty("check").GetString() == "response-property-removed" && c.GetProperty("message").GetString()!.Contains("receipt_url", StringComparison.Ordinal));
        removed.GetProperty("severity").GetString().ShouldBe("breaking");
        removed.GetProperty("oldLocation").GetProperty("line").GetInt32().ShouldBe(139);
        removed.GetProperty("oldLocation").GetProperty("pointer").GetString().ShouldBe("#/components/schemas/Charge/properties/receipt_url");
        removed.GetProperty("operations").EnumerateArray().Select(o => o.GetString()).ShouldContain("POST /charges");
        json.RootElement.GetProperty("failed").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Sarif_PointsAtNewDocument_OrOldForRemovals()
    {
        var (_, output, _) = await Run("api", "diff", V1, V2, "--format", "sarif");
        using var sarif = JsonDocument.Parse(output);
        sarif.RootElement.GetProperty("version").GetString().ShouldBe("2.1.0");
        var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        string Uri(JsonElement r) => r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()!;
        var removal = results.First(r => r.GetProperty("ruleId").GetString() == "KS-API-050");
        Uri(removal).ShouldEndWith("payments-v1.yaml");
        removal.GetProperty("level").GetString().ShouldBe("error");
        var narrowed = results.First(r => r.GetProperty("ruleId").GetString() == "KS-API-033");
        Uri(narrowed).ShouldEndWith("payments-v2.yaml");
        narrowed.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32().ShouldBe(19);
        results.ShouldContain(r => r.GetProperty("level").GetString() == "warning");
    }

    [Fact]
    public async Task Junit_OneTestCasePerCheck_FailingAtThreshold()
    {
        var (_, output, _) = await Run("api", "diff", V1, V2, "--format", "junit", "--fail-on", "warning");
        var cases = XDocument.Parse(output).Descendants("testcase").ToList();
        cases.Select(c => c.Attribute("name")!.Value).ShouldBeUnique();
        cases.Single(c => c.Attribute("name")!.Value == "KS-API-053 response-enum-value-added").Element("failure").ShouldNotBeNull();
        cases.Single(c => c.Attribute("name")!.Value == "KS-API-050 response-property-removed").Element("failure")!.Value.ShouldContain("Customer.email");
    }

    [Fact]
    public async Task Markdown_ForPullRequestComments()
    {
        var (_, output, _) = await Run("api", "diff", V1, V2, "--format", "md");
        output.ShouldStartWith("## API diff:");
        output.ShouldContain("| check | change | operations | location |");
        output.ShouldContain("### Breaking (");
    }

    [Fact]
    public async Task ConsumerView_ShowsOnlyChangesToItsOperations()
    {
        var (exit, output, _) = await Run("api", "diff", V1, V2, "--consumer", "ledger", "--uses", "get /charges/{chargeId}", "--format", "json");
        exit.ShouldBe(1);
        using var json = JsonDocument.Parse(output);
        var changes = json.RootElement.GetProperty("changes").EnumerateArray().ToList();
        changes.ShouldContain(c => c.GetProperty("check").GetString() == "operation-renamed");
        changes.ShouldNotContain(c => c.GetProperty("check").GetString() == "required-request-property-added");
        changes.ShouldNotContain(c => c.GetProperty("check").GetString() == "removed-before-sunset");
    }

    [Fact]
    public async Task ConsumerView_FromOperationsFile()
    {
        using var dir = new TempDir();
        var file = dir.Write("ops.txt", "# what the ledger calls\nGET /health\n");
        var (exit, output, _) = await Run("api", "diff", V1, V2, "--operations", file);
        exit.ShouldBe(1);
        output.ShouldContain("rate-limit-lowered");
        output.ShouldNotContain("operation-renamed");
    }

    [Fact]
    public async Task Rules_OverrideSeverity_IgnoreWithReason_AndReportUnusedIgnores()
    {
        using var dir = new TempDir();
        var rules = dir.Write("rules.yaml", """
            severity:
              response-enum-value-added: breaking
            ignore:
              - check: KS-API-050
                operation: "GET /charges*"
                reason: receipt_url and email were never populated
              - check: KS-API-021
                reason: no parameter renamed any more
            """);
        var (_, output, _) = await Run("api", "diff", V1, V2, "--rules", rules, "--format", "json", "--changelog");
        using var json = JsonDocument.Parse(output);
        var changes = json.RootElement.GetProperty("changes").EnumerateArray().ToList();
        changes.ShouldNotContain(c => c.GetProperty("id").GetString() == "KS-API-050");
        changes.Single(c => c.GetProperty("id").GetString() == "KS-API-053").GetProperty("severity").GetString().ShouldBe("breaking");
        var unused = changes.Single(c => c.GetProperty("id").GetString() == "KS-API-900");
        unused.GetProperty("severity").GetString().ShouldBe("info");
        unused.GetProperty("newLocation").GetProperty("line").GetInt32().ShouldBe(7);
        json.RootElement.GetProperty("summary").GetProperty("ignored").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Rules_IgnoreWithoutReason_IsBadInput()
    {
        using var dir = new TempDir();
        var rules = dir.Write("rules.yaml", "ignore:\n  - check: KS-API-050\n");
        var (exit, _, error) = await Run("api", "diff", V1, V2, "--rules", rules);
        exit.ShouldBe(2);
        error.ShouldContain("rules.yaml:2");
        error.ShouldContain("ignore[0].reason: is required");
    }

    [Fact]
    public async Task BadDocument_ExitsTwoWithFileAndLine_AndNoStackTrace()
    {
        using var dir = new TempDir();
        var broken = dir.Write("broken.yaml", File.ReadAllText(V2).Replace("$ref: '#/components/schemas/Charge'", "$ref: '#/components/schemas/Charj'", StringComparison.Ordinal));
        var (exit, output, error) = await Run("api", "diff", V1, broken);
        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldContain("broken.yaml:");
        error.ShouldContain("$ref: reference '#/components/schemas/Charj' cannot be resolved");
        error.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task MissingFile_ExitsTwo()
    {
        var (exit, _, error) = await Run("api", "diff", V1, "/nonexistent/api.yaml");
        exit.ShouldBe(2);
        error.ShouldContain("/nonexistent/api.yaml: file not found");
    }
}
