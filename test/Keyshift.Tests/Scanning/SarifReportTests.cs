using System.Text.Json;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Scanning;

/// <summary>
/// SARIF output checked against the required structure of the SARIF 2.1.0 schema (required properties and
/// their types) and against what GitHub code scanning requires of an upload.
/// </summary>
public sealed class SarifReportTests
{
    [Fact]
    public async Task Sarif_HasTheStructureTheSchemaAndGitHubRequire()
    {
        using var dir = new TempDir();
        dir.Write("svc/app.env", "REGION=eu\nGITHUB_TOKEN=ghp_jmsn9dLVIdVuddLEG62Hkd9Gf2leMeR3pzh8\nDB_URL=postgres://app:${DB_PASSWORD}@db/app\n");
        dir.Write("svc/my file.yaml", "stripe: sk_live_OrXXHFOprCeTsprvu5Ifijoy\n");

        var (exit, output, _) = await ScanCli.Run("scan", dir.Path, "--format", "sarif");

        exit.ShouldBe(1);
        var problems = SarifValidator.Validate(JsonDocument.Parse(output).RootElement);
        problems.ShouldBeEmpty();
        var results = JsonDocument.Parse(output).RootElement.GetProperty("runs")[0].GetProperty("results");
        results.GetArrayLength().ShouldBe(3);
        var uris = results.EnumerateArray()
            .Select(r => r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString())
            .ToList();
        uris.ShouldContain("svc/app.env");
        uris.ShouldContain("svc/my%20file.yaml");
        SecretCanary.AssertAbsent(output, "ghp_jmsn9dLVIdVuddLEG62Hkd9Gf2leMeR3pzh8");
    }

    [Fact]
    public async Task Sarif_WithNoFindings_IsStillValid()
    {
        using var dir = new TempDir();
        dir.Write("clean.txt", "nothing here\n");
        var (exit, output, _) = await ScanCli.Run("scan", dir.Path, "--format", "sarif");
        exit.ShouldBe(0);
        SarifValidator.Validate(JsonDocument.Parse(output).RootElement).ShouldBeEmpty();
    }

    [Fact]
    public void Validator_RejectsADocumentMissingRequiredParts()
    {
        // The validator itself must be able to fail.
        var broken = JsonDocument.Parse("""{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[{"message":{},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"/abs"},"region":{"startLine":0}}}]}]}]}""").RootElement;
        var problems = SarifValidator.Validate(broken);
        problems.ShouldContain(p => p.Contains("driver.name", StringComparison.Ordinal));
        problems.ShouldContain(p => p.Contains("message.text", StringComparison.Ordinal));
        problems.ShouldContain(p => p.Contains("ruleId", StringComparison.Ordinal));
        problems.ShouldContain(p => p.Contains("relative", StringComparison.Ordinal));
        problems.ShouldContain(p => p.Contains("startLine", StringComparison.Ordinal));
    }
}
