using System.Text;
using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Stores.Yaml;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Stores.Yaml;

public sealed class YamlStoreTests : IDisposable
{
    private const string Canary = "canary-Zq7xP2vL9";

    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private YamlStore Store() => new(SettingsFactory.Store(_dir.Path, "type: yaml\npath: secrets.yaml", name: "app"));

    private static SecretAddress At(string text) => SecretAddress.Parse(text);

    private async Task<string?> Read(string address)
    {
        var values = await Store().ReadAsync([At(address)], Ct);
        return values.TryGetValue(At(address), out var v) ? v.RevealUtf8() : null;
    }

    [Fact]
    public async Task MissingFile_ReadsAsEmpty_AndIsCreatedOnFirstWrite()
    {
        (await Store().ListAsync(Ct)).ShouldBeEmpty();
        (await Read("app:db#password")).ShouldBeNull();
        File.Exists(_dir.File("secrets.yaml")).ShouldBeFalse();

        await Store().ApplyAsync([StoreChange.Set(At("app:payments/db#password"), SecretValue.FromUtf8("pw"))], Ct);

        File.ReadAllText(_dir.File("secrets.yaml")).ShouldBe("payments:\n  db:\n    password: pw\n");
    }

    [Fact]
    public async Task DeleteOnlyBatch_OnAMissingFile_CreatesNothing()
    {
        await Store().ApplyAsync([StoreChange.Delete(At("app:db#password"))], Ct);
        File.Exists(_dir.File("secrets.yaml")).ShouldBeFalse();
    }

    [Fact]
    public async Task Rewrite_KeepsCommentsByteForByte_AndRetireRemovesMapsItLeavesEmpty()
    {
        const string original = """
            # Legacy secrets; owned by team-payments
            version: 3   # not a secret: top-level values have no address

            payments:
              # primary database
              db:
                user: payments
                password: 'hunter2'   # rotate me
              stripe:
                  key: "sk_live_x"    # odd indentation on purpose
            billing: {token: abc}
            """;
        _dir.Write("secrets.yaml", original);

        await Store().ApplyAsync(
        [
            StoreChange.Set(At("app:payments/db#password"), SecretValue.FromUtf8("new pass")),
            StoreChange.Delete(At("app:payments/stripe#key")),
            StoreChange.Set(At("app:billing#webhook"), SecretValue.FromUtf8("whsec")),
        ], Ct);

        File.ReadAllText(_dir.File("secrets.yaml")).ShouldBe("""
            # Legacy secrets; owned by team-payments
            version: 3   # not a secret: top-level values have no address

            payments:
              # primary database
              db:
                user: payments
                password: new pass   # rotate me
            billing: {token: abc, webhook: whsec}
            """);
    }

    [Fact]
    public async Task List_NamesEveryValueInsideAMapping_AndSkipsTopLevelValuesAndSequences()
    {
        _dir.Write("secrets.yaml", "top: 1\na:\n  b: x\n  c:\n    d: 2\n  list: [1, 2]\n  \"odd/key\": y\n  flag: true\n");

        var listed = (await Store().ListAsync(Ct)).Select(a => a.ToString()).Order();

        listed.ShouldBe(["app:a#b", "app:a#flag", "app:a#odd/key", "app:a/c#d"]);
    }

    [Fact]
    public async Task NonStringScalars_ReadAsTheirText()
    {
        _dir.Write("secrets.yaml", "a:\n  port: 5432\n  on: yes\n  empty:\n  tilde: ~\n  anchor: &x shared\n  alias: *x\n");

        (await Read("app:a#port")).ShouldBe("5432");
        (await Read("app:a#on")).ShouldBe("yes");
        (await Read("app:a#empty")).ShouldBe("");
        (await Read("app:a#tilde")).ShouldBe("~");
        (await Read("app:a#alias")).ShouldBe("shared");
    }

    [Theory]
    [InlineData("app:a//b#k")]
    [InlineData("app:/a#k")]
    [InlineData("app:a/#k")]
    [InlineData("app:a/b")]
    public void CheckAddress_RefusesEmptyMappingNamesAndMissingKey(string address) =>
        Store().CheckAddress(At(address)).ShouldNotBeNull().ShouldContain("app");

    [Fact]
    public async Task MultiDocumentFile_IsRefusedNamingFileAndLine()
    {
        _dir.Write("secrets.yaml", "a:\n  b: 1\n---\nc:\n  d: 2\n");
        var e = await Should.ThrowAsync<StoreException>(async () => await Store().ListAsync(Ct));
        e.Message.ShouldContain("secrets.yaml:4");
        e.Message.ShouldContain("k8s-secret");
    }

    [Fact]
    public async Task MalformedYaml_IsRefusedWithFileLineAndColumn_WithoutTheValue()
    {
        _dir.Write("secrets.yaml", $"a:\n  b: {Canary}\n c: [\n");
        var before = _dir.Snapshot();

        var e = await Should.ThrowAsync<StoreException>(async () =>
            await Store().ApplyAsync([StoreChange.Set(At("app:a#x"), SecretValue.FromUtf8("v"))], Ct));

        e.Message.ShouldContain("store 'app'");
        e.Message.ShouldContain("secrets.yaml:3:2");
        e.Message.ShouldContain("malformed YAML");
        AssertNoCanary(e.Message);
        _dir.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task NonUtf8File_IsRefusedWithLineAndColumn()
    {
        File.WriteAllBytes(_dir.File("secrets.yaml"), [.. "a:\n  b: "u8, 0xC3, 0x28, .. "\n"u8]);
        var e = await Should.ThrowAsync<StoreException>(async () => await Store().ListAsync(Ct));
        e.Message.ShouldContain("secrets.yaml:2:6");
        e.Message.ShouldContain("not UTF-8");
    }

    [Fact]
    public async Task EditOfAnAnchoredValue_IsRefusedNamingAddressAndLine_AndNothingChanges()
    {
        _dir.Write("secrets.yaml", $"a:\n  shared: &pw {Canary}\nb:\n  copy: *pw\n");
        var before = _dir.Snapshot();

        var e = await Should.ThrowAsync<StoreException>(async () => await Store().ApplyAsync(
        [
            StoreChange.Set(At("app:c#fresh"), SecretValue.FromUtf8("f")),
            StoreChange.Set(At("app:a#shared"), SecretValue.FromUtf8(Canary + "2")),
        ], Ct));

        e.Message.ShouldContain("secrets.yaml:2:11");
        e.Message.ShouldContain("app:a#shared");
        e.Message.ShouldContain("anchored");
        AssertNoCanary(e.Message);
        _dir.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task WriteThroughAValue_IsRefused()
    {
        _dir.Write("secrets.yaml", "a:\n  b: text\n");
        var e = await Should.ThrowAsync<StoreException>(async () =>
            await Store().ApplyAsync([StoreChange.Set(At("app:a/b#c"), SecretValue.FromUtf8("v"))], Ct));
        e.Message.ShouldContain("'a/b' is a value, not a mapping");
    }

    [Fact]
    public async Task RootThatIsNotAMapping_IsRefused()
    {
        _dir.Write("secrets.yaml", "- a\n- b\n");
        var e = await Should.ThrowAsync<StoreException>(async () => await Store().ListAsync(Ct));
        e.Message.ShouldContain("secrets.yaml:1");
        e.Message.ShouldContain("sequence");
    }

    [Fact]
    public async Task ValueWithNul_IsRefusedClearly()
    {
        var e = await Should.ThrowAsync<StoreException>(async () =>
            await Store().ApplyAsync([StoreChange.Set(At("app:a#k"), SecretValue.FromUtf8("a\0b"))], Ct));
        e.Message.ShouldContain("app:a#k");
        e.Message.ShouldContain("NUL");
        File.Exists(_dir.File("secrets.yaml")).ShouldBeFalse();
    }

    [Fact]
    public async Task WrittenValues_NeverAppearInErrors_OrAnyOtherFile()
    {
        await Store().ApplyAsync([StoreChange.Set(At("app:a#k"), SecretValue.FromUtf8(Canary))], Ct);
        var e = await Should.ThrowAsync<StoreException>(async () =>
            await Store().ApplyAsync([StoreChange.Set(At("app:a/k#deeper"), SecretValue.FromUtf8(Canary))], Ct));
        AssertNoCanary(e.Message);
        Directory.EnumerateFiles(_dir.Path).Select(Path.GetFileName).ShouldBe(["secrets.yaml"]);
    }

    private static void AssertNoCanary(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(Canary);
        text.ShouldNotContain(Canary);
        text.ShouldNotContain(Convert.ToBase64String(bytes));
        text.ShouldNotContain(Convert.ToHexString(bytes), Case.Insensitive);
        text.ShouldNotContain(Uri.EscapeDataString(Canary));
    }

    public void Dispose() => _dir.Dispose();
}
