using System.Text;
using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Stores;

/// <summary>
/// The one suite every store passes (teller's ProviderTest). A store's test class derives from this,
/// says how to build a store over files in <see cref="Dir"/> and how to address a key in it.
/// </summary>
public abstract class StoreConformanceTests : IDisposable
{
    protected TempDir Dir { get; } = new();

    /// <summary>A store over the files in <see cref="Dir"/>; called again to get a fresh instance over the same files.</summary>
    protected abstract Store CreateStore();

    /// <summary>An address in the store for a leaf called <paramref name="name"/>.</summary>
    protected abstract SecretAddress AddressFor(string name);

    /// <summary>An address whose shape the store must refuse (flat with '#', nested without it).</summary>
    protected abstract SecretAddress MalformedAddress();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<SecretValue?> ReadFresh(SecretAddress address)
    {
        var values = await CreateStore().ReadAsync([address], Ct);
        return values.TryGetValue(address, out var v) ? v : null;
    }

    [Fact]
    public async Task Write_ThenRead_FromFreshInstance_ReturnsSameBytes()
    {
        var a = AddressFor("DB_PASSWORD");
        await CreateStore().ApplyAsync([StoreChange.Set(a, SecretValue.FromUtf8("s3cr3t-value"))], Ct);
        (await ReadFresh(a))!.RevealUtf8().ShouldBe("s3cr3t-value");
    }

    [Fact]
    public async Task List_AfterWrites_ReturnsExactlyTheWrittenAddresses()
    {
        var store = CreateStore();
        var names = new[] { "ALPHA", "BETA", "GAMMA_KEY" };
        await store.ApplyAsync(names.Select(n => StoreChange.Set(AddressFor(n), SecretValue.FromUtf8(n + "-v"))).ToList(), Ct);
        var listed = await CreateStore().ListAsync(Ct);
        listed.Select(x => x.ToString()).Order().ShouldBe(names.Select(n => AddressFor(n).ToString()).Order());
    }

    [Fact]
    public async Task Delete_RemovesOnlyThatAddress()
    {
        var store = CreateStore();
        await store.ApplyAsync([StoreChange.Set(AddressFor("KEEP"), SecretValue.FromUtf8("k")), StoreChange.Set(AddressFor("DROP"), SecretValue.FromUtf8("d"))], Ct);
        await CreateStore().ApplyAsync([StoreChange.Delete(AddressFor("DROP"))], Ct);
        (await ReadFresh(AddressFor("DROP"))).ShouldBeNull();
        (await ReadFresh(AddressFor("KEEP")))!.RevealUtf8().ShouldBe("k");
    }

    [Fact]
    public async Task Delete_OfAbsentAddress_IsNoError()
    {
        await CreateStore().ApplyAsync([StoreChange.Set(AddressFor("ONE"), SecretValue.FromUtf8("1"))], Ct);
        await CreateStore().ApplyAsync([StoreChange.Delete(AddressFor("NOT_THERE"))], Ct);
        (await ReadFresh(AddressFor("ONE")))!.RevealUtf8().ShouldBe("1");
    }

    [Fact]
    public async Task Overwrite_ReplacesTheValue()
    {
        var a = AddressFor("TOKEN");
        await CreateStore().ApplyAsync([StoreChange.Set(a, SecretValue.FromUtf8("old"))], Ct);
        await CreateStore().ApplyAsync([StoreChange.Set(a, SecretValue.FromUtf8("new"))], Ct);
        (await ReadFresh(a))!.RevealUtf8().ShouldBe("new");
        (await CreateStore().ListAsync(Ct)).Count.ShouldBe(1);
    }

    public static TheoryData<string> AwkwardValues() => new()
    {
        "with spaces inside",
        "  leading and trailing  ",
        "quote\"double",
        "quote'single",
        "hash # not a comment",
        "#starts-with-hash",
        "equals=inside=value",
        "back\\slash\\n-not-newline",
        "line one\nline two\nline three",
        "tab\there",
        "ünïcødé ✓ 秘密",
        "${NOT_INTERPOLATED}",
        "",
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n",
        "yes",
        "0123",
        "null",
        "- dash",
        ": colon",
        "{\"json\": [1, 2]}",
    };

    [Theory]
    [MemberData(nameof(AwkwardValues))]
    public async Task AwkwardText_SurvivesARoundTrip(string text)
    {
        var a = AddressFor("AWKWARD");
        await CreateStore().ApplyAsync([StoreChange.Set(a, SecretValue.FromUtf8(text))], Ct);
        var back = await ReadFresh(a);
        back.ShouldNotBeNull();
        back.RevealUtf8().ShouldBe(text);
    }

    [Fact]
    public async Task BinaryValue_SurvivesOrIsRefusedClearly_WithNothingChanged()
    {
        var store = CreateStore();
        await store.ApplyAsync([StoreChange.Set(AddressFor("EXISTING"), SecretValue.FromUtf8("e"))], Ct);
        var before = Dir.Snapshot();
        var binary = SecretValue.FromBytes([0x00, 0xFF, 0xFE, 0x80, 0x0A, 0x22, 0x7F]);
        var a = AddressFor("BLOB");
        if (CreateStore().Capabilities.HasFlag(StoreCapabilities.Binary))
        {
            await CreateStore().ApplyAsync([StoreChange.Set(a, binary)], Ct);
            (await ReadFresh(a))!.Equals(binary).ShouldBeTrue();
        }
        else
        {
            var e = await Should.ThrowAsync<StoreException>(async () => await CreateStore().ApplyAsync([StoreChange.Set(a, binary)], Ct));
            e.Message.ShouldContain(CreateStore().Name);
            e.Message.ShouldContain("BLOB");
            Dir.Snapshot().ShouldBe(before);
        }
    }

    [Fact]
    public async Task Batch_WithOneMalformedAddress_ChangesNothing()
    {
        await CreateStore().ApplyAsync([StoreChange.Set(AddressFor("EXISTING"), SecretValue.FromUtf8("e"))], Ct);
        var before = Dir.Snapshot();
        await Should.ThrowAsync<StoreException>(async () => await CreateStore().ApplyAsync(
            [StoreChange.Set(AddressFor("FRESH"), SecretValue.FromUtf8("f")), StoreChange.Set(MalformedAddress(), SecretValue.FromUtf8("x"))], Ct));
        Dir.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task Write_KeepsTheFileMode()
    {
        if (OperatingSystem.IsWindows())
            return;
        await CreateStore().ApplyAsync([StoreChange.Set(AddressFor("FIRST"), SecretValue.FromUtf8("1"))], Ct);
        var file = Directory.EnumerateFiles(Dir.Path, "*", SearchOption.AllDirectories).Single();
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        await CreateStore().ApplyAsync([StoreChange.Set(AddressFor("SECOND"), SecretValue.FromUtf8("2"))], Ct);
        File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Directory.EnumerateFiles(Dir.Path, "*.tmp", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Fact]
    public async Task ThousandKeys_InOneBatch_RoundTrip()
    {
        var changes = Enumerable.Range(0, 1000)
            .Select(i => StoreChange.Set(AddressFor($"KEY_{i:D4}"), SecretValue.FromUtf8($"value-{i}-{new string('x', i % 17)}")))
            .ToList();
        await CreateStore().ApplyAsync(changes, Ct);
        var fresh = CreateStore();
        var values = await fresh.ReadAsync(changes.Select(c => c.Address).ToList(), Ct);
        values.Count.ShouldBe(1000);
        foreach (var change in changes)
            values[change.Address].Equals(change.Value).ShouldBeTrue(change.Address.ToString());
    }

    [Fact]
    public void ToString_OfAStore_NamesIt_AndSecretValuesNeverPrint()
    {
        CreateStore().ToString().ShouldContain(CreateStore().Name);
        $"{SecretValue.FromUtf8("canary")}".ShouldBe("***");
        Encoding.UTF8.GetString(SecretValue.FromUtf8("x").Bytes).ShouldBe("x");
    }

    public void Dispose()
    {
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
