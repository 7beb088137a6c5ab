using System.Text.Json;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Inventory;

/// <summary><c>keyshift inventory</c> on real files: each NHI finding kind, exit codes, and no value in any format.</summary>
public sealed class InventoryCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    private string Config(string stores, string consumers = "{}", string moves = "[]", string policy = "{}") => _dir.Write("keyshift.yaml", $"""
        version: 1
        stores:
        {stores}
        consumers: {consumers}
        moves: {moves}
        policy: {policy}

        """);

    private async Task<(CliRunner.Result Result, JsonElement Json)> Inventory(string config, params string[] extra)
    {
        var result = await CliRunner.RunAsync(_time, ["inventory", "-c", config, "--format", "json", .. extra]);
        return (result, JsonDocument.Parse(result.Out).RootElement);
    }

    private static List<string> Kinds(JsonElement json) =>
        [.. json.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("risk").GetString() + " " + f.GetProperty("kind").GetString())];

    [Fact]
    public async Task HardcodedCopy_OfAValueInADotenvStore_IsNhi2SecretLeakage()
    {
        var secret = Canary.New("hardcoded");
        _dir.Write("legacy/.env", $"DB_PASSWORD={secret}\n");
        _dir.Write("app/settings.py", $"import os\ndb_password = \"{secret}\"\n");
        var config = Config("  legacy: { type: dotenv, path: legacy/.env }");

        var (result, json) = await Inventory(config, "--scan", _dir.File("app"));

        result.ExitCode.ShouldBe(1, result.ToString());
        var finding = json.GetProperty("findings").EnumerateArray().Single();
        finding.GetProperty("risk").GetString().ShouldBe("NHI2");
        finding.GetProperty("kind").GetString().ShouldBe("hardcoded-copy");
        finding.GetProperty("message").GetString()!.ShouldContain("legacy:DB_PASSWORD");
        finding.GetProperty("subject").GetString()!.ShouldEndWith("settings.py:2:16");
        Canary.FindIn(result.All, "inventory output", [secret]).ShouldBeEmpty();
    }

    [Fact]
    public async Task ScannedStoreFile_IsNotAHardcodedCopyOfItself()
    {
        var secret = Canary.New("self");
        _dir.Write("legacy/.env", $"DB_PASSWORD={secret}\n");
        var config = Config("  legacy: { type: dotenv, path: legacy/.env }");

        var (result, json) = await Inventory(config, "--scan", _dir.Path);

        result.ExitCode.ShouldBe(0, result.ToString());
        json.GetProperty("hardcoded").GetArrayLength().ShouldBe(0);
        json.GetProperty("secrets").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task HardcodedSecret_InNoStore_IsNhi2()
    {
        _dir.Write("legacy/.env", "LOG_LEVEL=info\n");
        _dir.Write("app/config.py", "api_token = \"ghp_jmsn9dLVIdVuddLEG62Hkd9Gf2leMeR3pzh8\"\n");
        var config = Config("  legacy: { type: dotenv, path: legacy/.env }");

        var (result, json) = await Inventory(config, "--scan", _dir.File("app"));

        result.ExitCode.ShouldBe(1);
        Kinds(json).ShouldBe(["NHI2 hardcoded-secret"]);
        result.Out.ShouldNotContain("jmsn9dLVIdVuddLEG62Hkd9Gf2leMeR3pzh8");
    }

    [Fact]
    public async Task SameValueInTwoStores_IsNhi9Reuse_AndAcrossEnvironments_Nhi8()
    {
        var shared = Canary.New("shared");
        _dir.Write("prod/.env", $"DB_PASSWORD={shared}\n");
        _dir.Write("staging/app.json", $"{{ \"db\": {{ \"password\": \"{shared}\" }} }}\n");
        var config = Config(
            "  prod: { type: dotenv, path: prod/.env }\n  staging: { type: json, path: staging/app.json }",
            consumers: "{ api: { owner: team-a, environment: production, paths: [prod/**] }, api-staging: { owner: team-a, environment: staging, paths: [staging/**] } }");
        _dir.Write("prod/compose.yml", "environment:\n  DB_PASSWORD: ${DB_PASSWORD}\n");
        _dir.Write("staging/run.sh", "psql \"password=$password\"\n");
        _dir.Write("staging/deploy.yml", "env:\n  PASSWORD: ${password}\n");

        var (result, json) = await Inventory(config, "--scan", _dir.File("prod"), "--scan", _dir.File("staging"));

        result.ExitCode.ShouldBe(1, result.ToString());
        Kinds(json).ShouldBe(["NHI8 shared-across-environments", "NHI9 reuse"]);
        var message = json.GetProperty("findings")[1].GetProperty("message").GetString()!;
        message.ShouldContain("prod:DB_PASSWORD");
        message.ShouldContain("staging:db#password");
        Canary.FindIn(result.All, "inventory output", [shared]).ShouldBeEmpty();
    }

    [Fact]
    public async Task MoveSourceAndTarget_HoldingTheSameValue_IsNotReuse()
    {
        var value = Canary.New("moved");
        _dir.Write("legacy/.env", $"DB_PASSWORD={value}\n");
        _dir.Write("governed/secrets.json", $"{{ \"payments\": {{ \"db\": {{ \"password\": \"{value}\" }} }} }}\n");
        var config = Config(
            "  legacy: { type: dotenv, path: legacy/.env }\n  governed: { type: json, path: governed/secrets.json }",
            moves: "[{ from: 'legacy:DB_PASSWORD', to: 'governed:payments/db#password', owner: team-payments }]",
            policy: "{ requireOwner: true }");

        var (result, json) = await Inventory(config);

        result.ExitCode.ShouldBe(0, result.ToString());
        Kinds(json).ShouldBeEmpty();
        json.GetProperty("secrets").EnumerateArray().Select(s => s.GetProperty("owner").GetString()).ShouldAllBe(o => o == "team-payments");
    }

    [Fact]
    public async Task SecretOlderThanMaxAge_ByFileTime_IsNhi7()
    {
        var env = _dir.Write("legacy/.env", $"DB_PASSWORD={Canary.New("old")}\n");
        File.SetLastWriteTimeUtc(env, _time.GetUtcNow().UtcDateTime.AddDays(-200));
        var config = Config("  legacy: { type: dotenv, path: legacy/.env }", policy: "{ maxAge: 90d }");

        var (result, json) = await Inventory(config);

        result.ExitCode.ShouldBe(1);
        Kinds(json).ShouldBe(["NHI7 long-lived"]);
        json.GetProperty("findings")[0].GetProperty("message").GetString()!.ShouldContain("200d old (store file last modified");
        json.GetProperty("secrets")[0].GetProperty("ageSource").GetString().ShouldBe("file-mtime");
    }

    [Fact]
    public async Task StagedSecret_AgesFromItsStagedTime_NotTheFile()
    {
        var config = Workspaces.Create(_dir, Workspaces.Config(extra: "policy: { maxAge: 90d }"));
        (await CliRunner.RunAsync(_time, "apply", "-c", config, "--until", "staged")).ExitCode.ShouldBe(0);
        File.SetLastWriteTimeUtc(_dir.File("legacy/.env"), _time.GetUtcNow().UtcDateTime.AddDays(-10));
        _time.Advance(TimeSpan.FromDays(100));

        var (result, json) = await Inventory(config);

        var secrets = json.GetProperty("secrets").EnumerateArray().ToList();
        var target = secrets.Single(s => s.GetProperty("address").GetString() == "governed:payments/db#password");
        target.GetProperty("ageSource").GetString().ShouldBe("staged");
        Kinds(json).ShouldContain("NHI7 long-lived");
        json.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("kind").GetString() == "long-lived")
            .Select(f => f.GetProperty("subject").GetString()).ShouldContain("governed:payments/db#password");
        result.ExitCode.ShouldBe(1);
    }

    [Fact]
    public async Task SecretWithoutOwner_WhenPolicyRequiresOne_IsNhi1()
    {
        _dir.Write("legacy/.env", $"DB_PASSWORD={Canary.New("orphan")}\nAPI_KEY={Canary.New("owned")}\n");
        var config = Config(
            "  legacy: { type: dotenv, path: legacy/.env }\n  governed: { type: json, path: governed/secrets.json }",
            moves: "[{ from: 'legacy:API_KEY', to: 'governed:api#key', owner: team-api }]",
            policy: "{ requireOwner: true }");

        var (result, json) = await Inventory(config);

        result.ExitCode.ShouldBe(1);
        Kinds(json).ShouldBe(["NHI1 no-owner"]);
        json.GetProperty("findings")[0].GetProperty("subject").GetString().ShouldBe("legacy:DB_PASSWORD");
    }

    [Fact]
    public async Task EmptyValues_AtSeveralAddresses_AreNotReuse()
    {
        _dir.Write("legacy/.env", "EMPTY_ONE=\nEMPTY_TWO=\n");
        var config = Config("  legacy: { type: dotenv, path: legacy/.env }");

        var (result, json) = await Inventory(config);

        result.ExitCode.ShouldBe(0, result.ToString());
        json.GetProperty("secrets").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task LargeInventory_Table_IsPlainColumns_OneLinePerSecret()
    {
        _dir.Write("legacy/.env", string.Concat(Enumerable.Range(0, 2500).Select(i => $"KEY_{i:D5}=value-{i}\n")));
        var config = Config("  legacy: { type: dotenv, path: legacy/.env }");

        var result = await CliRunner.RunAsync(_time, "inventory", "-c", config);

        result.ExitCode.ShouldBe(0, result.ToString());
        var lines = result.Out.Split('\n');
        lines[0].ShouldStartWith("Secret            Type    Fingerprint   Age");
        lines.Count(l => l.StartsWith("legacy:KEY_", StringComparison.Ordinal)).ShouldBe(2500);
        result.Out.ShouldNotContain("value-1");
    }

    [Theory]
    [InlineData("table")]
    [InlineData("md")]
    public async Task TableAndMarkdown_ShowFingerprintAgeOwnerConsumers_NeverValues(string format)
    {
        var secret = Canary.New("shown");
        _dir.Write("legacy/.env", $"DB_PASSWORD={secret}\n");
        _dir.Write("app/settings.py", $"db_password = \"{secret}\"\n");
        var config = Config(
            "  legacy: { type: dotenv, path: legacy/.env }\n  governed: { type: json, path: governed/secrets.json }",
            consumers: "{ api: { owner: team-a, environment: production } }",
            moves: "[{ from: 'legacy:DB_PASSWORD', to: 'governed:db#password', owner: team-a, consumers: [api] }]");

        var result = await CliRunner.RunAsync(_time, "inventory", "-c", config, "--scan", _dir.File("app"), "--format", format);

        result.ExitCode.ShouldBe(1);
        result.Out.ShouldContain("legacy:DB_PASSWORD");
        result.Out.ShouldContain("team-a");
        result.Out.ShouldContain("(file mtime)");
        result.Out.ShouldContain("NHI2 Secret Leakage");
        Canary.FindIn(result.All, "inventory " + format, [secret]).ShouldBeEmpty();
    }
}
