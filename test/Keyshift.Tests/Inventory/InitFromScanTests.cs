using Keyshift.Configuration;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Inventory;

/// <summary><c>keyshift init --from-scan</c> end to end on real files: the proposal loads and plans, the patch masks values, --apply rewrites by span.</summary>
public sealed class InitFromScanTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _db = Canary.New("db");
    private readonly string _nested = Canary.New("nested");
    private readonly string _token = Canary.New("token");

    public InitFromScanTests()
    {
        _dir.Write("legacy/.env", $"# legacy\nDB_PASSWORD=\"{_db}\"\nLOG_LEVEL=info\n");
        _dir.Write("config/app.json", $"{{ \"payments\": {{ \"db\": {{ \"password\": \"{_nested}\" }} }} }}\n");
        _dir.Write("src/settings.py", $"import os\ndb_password = \"{_db}\"\napi_token = \"{_token}\"\n");
    }

    public void Dispose() => _dir.Dispose();

    private string[] Canaries => [_db, _nested, _token];

    private string ConfigPath => _dir.File("keyshift.yaml");

    [Fact]
    public async Task FromScan_WritesAConfigThatLoadsAndPlans_WithoutAnyValue()
    {
        var result = await CliRunner.RunAsync("init", "--from-scan", _dir.Path, "-c", ConfigPath);

        result.ExitCode.ShouldBe(0, result.ToString());
        var config = ConfigLoader.Load(ConfigPath);
        config.Moves.Select(m => (m.From, m.To)).ShouldBe(
        [
            ("config-app-json:payments/db#password", "governed:config-app-json/payments/db#password"),
            ("legacy-env:DB_PASSWORD", "governed:legacy-env#DB_PASSWORD"),
            ("src-settings-py:API_TOKEN", "governed:relocated#API_TOKEN"),
        ]);
        config.Stores["governed"].Type.ShouldBe("json");
        config.Stores["src-settings-py"].Type.ShouldBe("hardcoded");
        File.Exists(new Workspace(ConfigPath).KeyPath).ShouldBeTrue();
        var yaml = File.ReadAllText(ConfigPath);
        yaml.ShouldContain("API_TOKEN: { line: 3, column: 14, length: " + _token.Length + ", fingerprint: '");
        yaml.ShouldContain("DB_PASSWORD: { line: 2, column: 16, length: " + _db.Length);
        yaml.ShouldContain("same value as legacy-env:DB_PASSWORD: rewritten when that move cuts over");
        yaml.ShouldNotContain("# TODO");

        var plan = await CliRunner.RunAsync("plan", "-c", ConfigPath);
        plan.ExitCode.ShouldBe(0, plan.ToString());
        plan.Out.ShouldContain("3 to create");

        var leaks = Canary.FindIn(result.All + plan.All, "output", Canaries)
            .Concat(Canary.FindIn(yaml, "keyshift.yaml", Canaries))
            .Concat(Canary.FindIn(File.ReadAllText(_dir.File("keyshift-references.patch")), "patch", Canaries));
        leaks.ShouldBeEmpty();
    }

    [Fact]
    public async Task Patch_ShowsMaskedOldLines_AndReferences()
    {
        (await CliRunner.RunAsync("init", "--from-scan", _dir.Path, "-c", ConfigPath)).ExitCode.ShouldBe(0);

        var patch = File.ReadAllText(_dir.File("keyshift-references.patch"));
        patch.ShouldContain("--- a/src/settings.py\n+++ b/src/settings.py\n");
        patch.ShouldContain("-db_password = \"***\"\n+db_password = \"${DB_PASSWORD}\"\n");
        patch.ShouldContain("-api_token = \"***\"\n+api_token = \"${API_TOKEN}\"\n");
        patch.ShouldContain("@@ -2,1 +2,1 @@ [source store]");
        patch.ShouldContain("-DB_PASSWORD=\"***\"\n+DB_PASSWORD=\"${DB_PASSWORD}\"\n");
        File.ReadAllText(_dir.File("src/settings.py")).ShouldContain(_db);
    }

    [Fact]
    public async Task Apply_RewritesOnlyValuesNoMoveRelocates_WithBackup_AndLeavesTheRestForCutover()
    {
        var body = string.Concat(Enumerable.Repeat("MIIEowIBAAKCAQEAuK3v8Qw9XyZ1aB2cD3eF4gH5iJ6kL7mN8oP9qR0sT1uV2wX3\n", 3));
        _dir.Write("deploy/keys.py", $"KEY = \"\"\"-----BEGIN RSA PRIVATE KEY-----\n{body}-----END RSA PRIVATE KEY-----\"\"\"\n");
        var before = _dir.Snapshot();

        var result = await CliRunner.RunAsync("init", "--from-scan", _dir.Path, "-c", ConfigPath, "--apply");

        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllText(_dir.File("deploy/keys.py")).ShouldBe("KEY = \"\"\"${KEY}\"\"\"\n");
        File.ReadAllText(_dir.File("keyshift.yaml")).ShouldContain("# TODO deploy/keys.py:1:10 private-key");
        var after = _dir.Snapshot();
        after["deploy/keys.py.bak"].ShouldBe(before["deploy/keys.py"]);
        after["src/settings.py"].ShouldBe(before["src/settings.py"]);
        after["legacy/.env"].ShouldBe(before["legacy/.env"]);
        after["config/app.json"].ShouldBe(before["config/app.json"]);
        Canary.FindIn(result.All, "output", Canaries).ShouldBeEmpty();
    }

    [Fact]
    public async Task ExistingConfig_IsRefused_WithExitTwo_AndNothingChanges()
    {
        _dir.Write("keyshift.yaml", "version: 1\n");
        var before = _dir.Snapshot();

        var result = await CliRunner.RunAsync("init", "--from-scan", _dir.Path, "-c", ConfigPath, "--apply");

        result.ExitCode.ShouldBe(2);
        result.Err.ShouldContain("already exists");
        _dir.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task IntoDotenv_ProposesFlatTargets()
    {
        var result = await CliRunner.RunAsync("init", "--from-scan", _dir.Path, "-c", ConfigPath, "--into", "dotenv:governed/.env");

        result.ExitCode.ShouldBe(0, result.ToString());
        var config = ConfigLoader.Load(ConfigPath);
        config.Moves.Select(m => m.To).Order().ShouldBe(["governed:API_TOKEN", "governed:DB_PASSWORD", "governed:PAYMENTS_DB_PASSWORD"]);
        (await CliRunner.RunAsync("plan", "-c", ConfigPath)).ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task YamlAndKubernetesSecretFiles_BecomeSourceStores_WithExactAddresses()
    {
        using var dir = new TempDir();
        var yamlSecret = Canary.New("yaml");
        var k8sSecret = Canary.New("k8s");
        dir.Write("deploy/app.yaml", $"database:\n  password: \"{yamlSecret}\"\n");
        dir.Write("deploy/secret.yaml", $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: payments-db\nstringData:\n  password: \"{k8sSecret}\"\n");
        var config = dir.File("keyshift.yaml");

        var result = await CliRunner.RunAsync("init", "--from-scan", dir.Path, "-c", config);

        result.ExitCode.ShouldBe(0, result.ToString());
        var loaded = ConfigLoader.Load(config);
        loaded.Stores["deploy-app-yaml"].Type.ShouldBe("yaml");
        loaded.Stores["deploy-secret-yaml"].Type.ShouldBe("k8s-secret");
        loaded.Moves.Select(m => m.From).Order().ShouldBe(["deploy-app-yaml:database#password", "deploy-secret-yaml:payments-db#password"]);
        (await CliRunner.RunAsync("plan", "-c", config)).ExitCode.ShouldBe(0);
        Canary.FindIn(File.ReadAllText(config) + File.ReadAllText(dir.File("keyshift-references.patch")) + result.All, "outputs", [yamlSecret, k8sSecret]).ShouldBeEmpty();
    }

    [Fact]
    public async Task UnknownIntoType_IsBadInput()
    {
        var result = await CliRunner.RunAsync("init", "--from-scan", _dir.Path, "-c", ConfigPath, "--into", "vault:x");

        result.ExitCode.ShouldBe(2);
        result.Err.ShouldContain("--into");
        File.Exists(ConfigPath).ShouldBeFalse();
    }
}
