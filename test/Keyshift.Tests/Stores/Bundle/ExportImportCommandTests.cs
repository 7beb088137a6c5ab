using System.Security.Cryptography;
using System.Text.Json;
using Keyshift.Cli;
using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Stores.Bundle;

/// <summary><c>keyshift export</c> and <c>keyshift import</c> run in-process against real bundle files.</summary>
public sealed class ExportImportCommandTests : IDisposable
{
    private const string LegacyCanary = "CANARY-legacy-db-9d1c44";
    private const string VaultCanary = "CANARY-vault-pw-2b77e0";
    private readonly TempDir _dir = new();
    private readonly string _prefix = "KS_CLI_" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _config;
    private readonly List<string> _outputs = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ExportImportCommandTests()
    {
        foreach (var name in new[] { "LEGACY", "VAULT", "GOVERNED", "EXPORT" })
            Environment.SetEnvironmentVariable($"{_prefix}_{name}", $"{name.ToLowerInvariant()} passphrase");
        _config = _dir.Write("keyshift.yaml", $"""
            version: 1
            stores:
              legacy: {"{"} type: bundle, path: legacy.ksb, passphrase: env:{_prefix}_LEGACY {"}"}
              vault: {"{"} type: bundle, path: vault.ksb, passphrase: env:{_prefix}_VAULT {"}"}
              governed: {"{"} type: bundle, path: governed.ksb, passphrase: env:{_prefix}_GOVERNED {"}"}
              app: {"{"} type: dotenv, path: app.env {"}"}
            moves:
              - {"{"} from: legacy:DB_PASSWORD, to: governed:DB_PASSWORD {"}"}
            """);
    }

    private Store StoreNamed(string name) => ConfigLoader.Load(_config).Stores[name];

    private async Task Seed()
    {
        await StoreNamed("legacy").ApplyAsync([
            StoreChange.Set(SecretAddress.Parse("legacy:DB_PASSWORD"), SecretValue.FromUtf8(LegacyCanary)),
            StoreChange.Set(SecretAddress.Parse("legacy:API_TOKEN"), SecretValue.FromUtf8("token-1")),
        ], Ct);
        await StoreNamed("vault").ApplyAsync([StoreChange.Set(SecretAddress.Parse("vault:payments/db#password"), SecretValue.FromUtf8(VaultCanary))], Ct);
    }

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await KeyshiftCommand.RunAsync(args, stdout, stderr);
        _outputs.Add(stdout.ToString());
        _outputs.Add(stderr.ToString());
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Bundle => _dir.File("out.ksb");

    private Task<(int Code, string Out, string Err)> Export(params string[] extra) =>
        Run(["export", "-c", _config, "--to", Bundle, .. extra.Length == 0 ? ["--passphrase", $"env:{_prefix}_EXPORT"] : extra]);

    private Task<(int Code, string Out, string Err)> Import(params string[] extra) =>
        Run(["import", "-c", _config, "--from", Bundle, "--into", "governed", .. extra]);

    private async Task<string?> Governed(string address)
    {
        var a = SecretAddress.Parse(address);
        var values = await StoreNamed("governed").ReadAsync([a], Ct);
        return values.TryGetValue(a, out var v) ? v.RevealUtf8() : null;
    }

    [Fact]
    public async Task Export_ThenImport_MovesEveryValue_KeepingTheLocalAddress()
    {
        await Seed();
        var fingerprint = FingerprintKey.LoadOrCreate(_dir.File(".keyshift/key")).Of(SecretValue.FromUtf8(LegacyCanary));

        var export = await Export();
        var import = await Import("--passphrase", $"env:{_prefix}_EXPORT");

        export.Code.ShouldBe(0, export.Err);
        export.Out.ShouldContain("Exported 3 secret(s) from 4 store(s) (app 0, governed 0, legacy 2, vault 1)");
        export.Out.ShouldContain("legacy/DB_PASSWORD");
        export.Out.ShouldContain("vault/payments/db#password");
        import.Code.ShouldBe(0, import.Err);
        (await Governed("governed:DB_PASSWORD")).ShouldBe(LegacyCanary);
        (await Governed("governed:API_TOKEN")).ShouldBe("token-1");
        (await Governed("governed:payments/db#password")).ShouldBe(VaultCanary);
        export.Out.ShouldContain(fingerprint.Short);
        import.Out.ShouldContain(fingerprint.Short);
    }

    [Fact]
    public async Task ExportAndImport_LeaveAFreshWorkspaceUntouched()
    {
        await Seed();

        (await Export()).Code.ShouldBe(0);
        (await Import("--passphrase", $"env:{_prefix}_EXPORT")).Code.ShouldBe(0);

        Directory.Exists(_dir.File(".keyshift")).ShouldBeFalse();
    }

    [Fact]
    public async Task Export_Json_ListsAddressesKeysAndFingerprints_NeverValues()
    {
        await Seed();

        var (code, output, _) = await Export("--passphrase", $"env:{_prefix}_EXPORT", "--store", "legacy", "--format", "json");

        code.ShouldBe(0);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("count").GetInt32().ShouldBe(2);
        json.RootElement.GetProperty("sealedWith").GetString().ShouldBe("passphrase");
        var entries = json.RootElement.GetProperty("entries").EnumerateArray().ToList();
        entries.Select(e => e.GetProperty("key").GetString()).Order().ShouldBe(["legacy/API_TOKEN", "legacy/DB_PASSWORD"]);
        entries.ShouldAllBe(e => e.GetProperty("fingerprint").GetString()!.Length == 64);
    }

    [Fact]
    public async Task Import_WhenATargetHoldsADifferentValue_Exits1_AndChangesNothing_UntilOverwrite()
    {
        await Seed();
        await StoreNamed("governed").ApplyAsync([StoreChange.Set(SecretAddress.Parse("governed:DB_PASSWORD"), SecretValue.FromUtf8("someone else's"))], Ct);
        await Export("--passphrase", $"env:{_prefix}_EXPORT", "--store", "legacy", "--store", "vault");
        var before = File.ReadAllBytes(_dir.File("governed.ksb"));

        var refused = await Import("--passphrase", $"env:{_prefix}_EXPORT");

        refused.Code.ShouldBe(1);
        refused.Out.ShouldContain("conflict");
        refused.Out.ShouldContain("nothing was changed");
        File.ReadAllBytes(_dir.File("governed.ksb")).ShouldBe(before);

        var forced = await Import("--passphrase", $"env:{_prefix}_EXPORT", "--overwrite");

        forced.Code.ShouldBe(0, forced.Err);
        forced.Out.ShouldContain("update");
        (await Governed("governed:DB_PASSWORD")).ShouldBe(LegacyCanary);
    }

    [Fact]
    public async Task Import_DryRun_ShowsTheOutcomes_AndChangesNothing()
    {
        await Seed();
        await Export();

        var (code, output, _) = await Import("--passphrase", $"env:{_prefix}_EXPORT", "--dry-run", "--format", "json");

        code.ShouldBe(0);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("written").GetBoolean().ShouldBeFalse();
        json.RootElement.GetProperty("entries").EnumerateArray().ShouldAllBe(e => e.GetProperty("outcome").GetString() == "create");
        File.Exists(_dir.File("governed.ksb")).ShouldBeFalse();
    }

    [Fact]
    public async Task Import_Twice_SecondRunIsAllNoOp()
    {
        await Seed();
        await Export();
        (await Import("--passphrase", $"env:{_prefix}_EXPORT")).Code.ShouldBe(0);
        var before = File.ReadAllBytes(_dir.File("governed.ksb"));

        var (code, output, _) = await Import("--passphrase", $"env:{_prefix}_EXPORT", "--format", "json");

        code.ShouldBe(0);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("entries").EnumerateArray().ShouldAllBe(e => e.GetProperty("outcome").GetString() == "no-op");
        File.ReadAllBytes(_dir.File("governed.ksb")).ShouldBe(before);
    }

    [Fact]
    public async Task Import_OnlyTheChosenSourceStore()
    {
        await Seed();
        await Export();

        (await Import("--passphrase", $"env:{_prefix}_EXPORT", "--store", "vault")).Code.ShouldBe(0);

        (await Governed("governed:payments/db#password")).ShouldBe(VaultCanary);
        (await Governed("governed:DB_PASSWORD")).ShouldBeNull();
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ec")]
    public async Task ExportForARecipient_ImportsWithTheIdentity(string kind)
    {
        await Seed();
        AsymmetricAlgorithm key = kind == "rsa" ? RSA.Create(2048) : ECDiffieHellman.Create(ECCurve.NamedCurves.nistP384);
        var publicKey = _dir.Write("ops.pub.pem", key.ExportSubjectPublicKeyInfoPem());
        var privateKey = _dir.Write("ops.pem", key.ExportPkcs8PrivateKeyPem());
        key.Dispose();

        var export = await Export("--recipient", publicKey);
        var withoutIdentity = await Import();
        var import = await Import("--identity", privateKey);

        export.Code.ShouldBe(0, export.Err);
        withoutIdentity.Code.ShouldBe(2);
        withoutIdentity.Err.ShouldContain("--identity");
        import.Code.ShouldBe(0, import.Err);
        (await Governed("governed:DB_PASSWORD")).ShouldBe(LegacyCanary);
    }

    [Fact]
    public async Task Import_WithTheWrongPassphrase_IsBadInput_AndChangesNothing()
    {
        await Seed();
        await Export();

        var (code, _, err) = await Import("--passphrase", $"env:{_prefix}_LEGACY");

        code.ShouldBe(2);
        err.ShouldContain("is corrupt or the key is wrong");
        File.Exists(_dir.File("governed.ksb")).ShouldBeFalse();
    }

    [Fact]
    public async Task Import_OfATamperedBundle_IsRefused_AndChangesNothing()
    {
        await Seed();
        await Export();
        var bytes = File.ReadAllBytes(Bundle);
        bytes[^40] ^= 0x80;
        File.WriteAllBytes(Bundle, bytes);

        var (code, _, err) = await Import("--passphrase", $"env:{_prefix}_EXPORT");

        code.ShouldBe(2);
        err.ShouldContain("is corrupt or the key is wrong");
        File.Exists(_dir.File("governed.ksb")).ShouldBeFalse();
    }

    [Fact]
    public async Task Import_WhenTwoEntriesMeetAtOneTarget_IsBadInput_NamingBoth()
    {
        await Seed();
        await StoreNamed("vault").ApplyAsync([StoreChange.Set(SecretAddress.Parse("vault:DB_PASSWORD"), SecretValue.FromUtf8("different"))], Ct);
        await Export();

        var (code, _, err) = await Import("--passphrase", $"env:{_prefix}_EXPORT");

        code.ShouldBe(2);
        err.ShouldContain("'legacy/DB_PASSWORD' and 'vault/DB_PASSWORD' both go to governed:DB_PASSWORD");
        File.Exists(_dir.File("governed.ksb")).ShouldBeFalse();
    }

    [Theory]
    [InlineData(new[] { "--store", "nope" }, "no store 'nope'")]
    [InlineData(new[] { "--passphrase", "inline-secret" }, "never written inline")]
    [InlineData(new[] { "--passphrase", "env:KS_SURELY_UNSET_0815" }, "KS_SURELY_UNSET_0815 is not set")]
    [InlineData(new string[] { "--store", "legacy" }, "give exactly one of --passphrase")]
    public async Task Export_BadInput_Exits2_AndWritesNothing(string[] extra, string message)
    {
        await Seed();

        var (code, _, err) = await Run(["export", "-c", _config, "--to", Bundle, .. extra]);

        code.ShouldBe(2);
        err.ShouldContain(message);
        File.Exists(Bundle).ShouldBeFalse();
    }

    [Fact]
    public async Task Export_OverAnExistingFile_IsRefused()
    {
        File.WriteAllText(Bundle, "precious");

        var (code, _, err) = await Export();

        code.ShouldBe(2);
        err.ShouldContain("already exists");
        File.ReadAllText(Bundle).ShouldBe("precious");
    }

    [Fact]
    public async Task Import_IntoAFlatStore_RefusesNestedEntries_UntilOnlyFlatOnesAreChosen()
    {
        await Seed();
        await Export();

        var refused = await Run("import", "-c", _config, "--from", Bundle, "--into", "app", "--passphrase", $"env:{_prefix}_EXPORT");
        var flat = await Run("import", "-c", _config, "--from", Bundle, "--into", "app", "--passphrase", $"env:{_prefix}_EXPORT", "--store", "legacy");

        refused.Code.ShouldBe(2);
        refused.Err.ShouldContain("bundle entry 'vault/payments/db#password'");
        flat.Code.ShouldBe(0, flat.Err);
        File.ReadAllText(_dir.File("app.env")).ShouldContain("DB_PASSWORD=" + LegacyCanary);
    }

    [Fact]
    public async Task Import_OfAStoreWithNoEntries_IsBadInput()
    {
        await Seed();
        await Export();

        var (code, _, err) = await Import("--passphrase", $"env:{_prefix}_EXPORT", "--store", "nothing-here");

        code.ShouldBe(2);
        err.ShouldContain("no entry of the bundle was exported from nothing-here");
    }

    [Fact]
    public async Task Import_IntoAnUnknownStore_IsBadInput()
    {
        await Seed();
        await Export();

        var (code, _, err) = await Run("import", "-c", _config, "--from", Bundle, "--into", "nowhere", "--passphrase", $"env:{_prefix}_EXPORT");

        code.ShouldBe(2);
        err.ShouldContain("no store 'nowhere'");
    }

    public void Dispose()
    {
        // Every command's output, whatever the test, must be free of the canaries.
        foreach (var output in _outputs)
        {
            LegacyCanary.ShouldNotLeakInto(output, "command output");
            VaultCanary.ShouldNotLeakInto(output, "command output");
        }
        foreach (var name in new[] { "LEGACY", "VAULT", "GOVERNED", "EXPORT" })
            Environment.SetEnvironmentVariable($"{_prefix}_{name}", null);
        _dir.Dispose();
    }
}
