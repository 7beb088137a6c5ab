using System.Buffers.Binary;
using System.Security.Cryptography;
using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Stores.Bundle;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Stores.Bundle;

public sealed class BundleFileTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _variable = "KS_BUNDLE_PASS_" + Guid.NewGuid().ToString("N")[..8];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public BundleFileTests() => Environment.SetEnvironmentVariable(_variable, "the right passphrase");

    private Store PassphraseStore(string variable) =>
        StoreTypes.Create("bundle", SettingsFactory.Store(_dir.Path, $"type: bundle\npath: escrow.ksb\npassphrase: env:{variable}"))!;

    private static SecretAddress At(string local) => SecretAddress.Parse("test:" + local);

    [Fact]
    public async Task WrongPassphrase_FailsWithCorruptOrWrongKey_AndReturnsNothing()
    {
        await PassphraseStore(_variable).ApplyAsync([StoreChange.Set(At("DB_PASSWORD"), SecretValue.FromUtf8("pw"))], Ct);
        var other = _variable + "_WRONG";
        Environment.SetEnvironmentVariable(other, "a wrong passphrase");

        var e = await Should.ThrowAsync<StoreException>(async () => await PassphraseStore(other).ListAsync(Ct));

        e.Message.ShouldContain("store 'test'");
        e.Message.ShouldContain("is corrupt or the key is wrong");
        e.Message.ShouldContain(_dir.File("escrow.ksb"));
    }

    [Fact]
    public void FlippedByte_AnywhereInTheFile_FailsClearly_WithNoEntries()
    {
        var key = new RawBundleKey(RandomNumberGenerator.GetBytes(32));
        var path = _dir.File("flip.ksb");
        BundleFile.Write(path, key, Entries(("A", "alpha"), ("b/c#d", "delta")), null);
        var original = File.ReadAllBytes(path);

        for (var i = 0; i < original.Length; i++)
        {
            var damaged = (byte[])original.Clone();
            damaged[i] ^= 0x01;
            File.WriteAllBytes(path, damaged);
            var e = Should.Throw<StoreException>(() => BundleFile.Read(path, key, "test"), $"byte {i}");
            e.Message.ShouldContain("is corrupt", Case.Sensitive, $"byte {i}");
        }
    }

    [Fact]
    public void FlippedByte_InAPassphraseHeader_FailsClearly()
    {
        var key = new PassphraseBundleKey("pass"u8);
        var path = _dir.File("flip.ksb");
        BundleFile.Write(path, key, Entries(("A", "alpha")), null);
        var original = File.ReadAllBytes(path);
        var header = BundleHeader.TryParse(original, out _)!;

        // Every header byte but the inner salt bytes (each of which costs a full PBKDF2 run), and a sample of the body.
        var saltInside = Enumerable.Range(13, 14);
        foreach (var i in Enumerable.Range(0, header.Length).Except(saltInside).Concat([header.Length, original.Length / 2, original.Length - 1]))
        {
            var damaged = (byte[])original.Clone();
            damaged[i] ^= 0x01;
            File.WriteAllBytes(path, damaged);
            Should.Throw<StoreException>(() => BundleFile.Read(path, key, "test"), $"byte {i}").Message.ShouldContain("is corrupt");
        }
    }

    [Fact]
    public void TruncatedOrEmptyFile_FailsClearly()
    {
        var key = new RawBundleKey(RandomNumberGenerator.GetBytes(32));
        var path = _dir.File("cut.ksb");
        BundleFile.Write(path, key, Entries(("A", "alpha")), null);
        var original = File.ReadAllBytes(path);
        foreach (var length in new[] { 0, 3, 7, 20, original.Length - 17, original.Length - 1 })
        {
            File.WriteAllBytes(path, original[..length]);
            Should.Throw<StoreException>(() => BundleFile.Read(path, key, "test"), $"length {length}").Message.ShouldContain("is corrupt");
        }
    }

    [Fact]
    public async Task Canaries_NeverAppearInTheFile_RawBase64HexOrUrlEncoded()
    {
        var canaries = new[] { "CANARY-bundle-7f3a9c1e", "canary with spaces & symbols /+=?", "ünïcødé-canary-秘密" };
        var store = PassphraseStore(_variable);
        await store.ApplyAsync(canaries.Select((c, i) => StoreChange.Set(At($"K{i}"), SecretValue.FromUtf8(c))).ToList(), Ct);
        var bytes = File.ReadAllBytes(_dir.File("escrow.ksb"));
        foreach (var canary in canaries)
            canary.ShouldNotLeakInto(bytes, "the bundle file");
        "the right passphrase".ShouldNotLeakInto(bytes, "the bundle file");
    }

    [Fact]
    public void IterationCount_ReadFromTheHeader_IsHonoured()
    {
        var path = _dir.File("slow.ksb");
        BundleFile.Write(path, new PassphraseBundleKey("pass"u8, 700_000), Entries(("A", "alpha")), null);
        var header = BundleFile.ReadHeader(path, "test")!;
        PassphraseBundleKey.IterationsOf(header).ShouldBe(700_000);
        BinaryPrimitives.ReadUInt32BigEndian(File.ReadAllBytes(path).AsSpan(8)).ShouldBe(700_000u);

        // A key configured for the default count still opens it: the header's count is what PBKDF2 runs with.
        var contents = BundleFile.Read(path, new PassphraseBundleKey("pass"u8), "test")!;

        contents.Entries["A"].Value.RevealUtf8().ShouldBe("alpha");
    }

    [Fact]
    public async Task IterationsSetting_IsWrittenToTheHeader()
    {
        var store = StoreTypes.Create("bundle", SettingsFactory.Store(_dir.Path, $"type: bundle\npath: escrow.ksb\npassphrase: env:{_variable}\niterations: 650000"))!;
        await store.ApplyAsync([StoreChange.Set(At("A"), SecretValue.FromUtf8("a"))], Ct);
        PassphraseBundleKey.IterationsOf(BundleFile.ReadHeader(_dir.File("escrow.ksb"), "test")!).ShouldBe(650_000);
    }

    [Fact]
    public void HeaderAskingForTooManyIterations_IsRefusedBeforeDeriving()
    {
        var path = _dir.File("huge.ksb");
        BundleFile.Write(path, new PassphraseBundleKey("pass"u8), Entries(("A", "alpha")), null);
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), 2_000_000_000);
        File.WriteAllBytes(path, bytes);

        var e = Should.Throw<StoreException>(() => BundleFile.Read(path, new PassphraseBundleKey("pass"u8), "test"));

        e.Message.ShouldContain("2000000000 PBKDF2 iterations");
    }

    [Fact]
    public async Task Rewrite_KeepsTheSalt_WithAFreshNonce()
    {
        var store = PassphraseStore(_variable);
        await store.ApplyAsync([StoreChange.Set(At("A"), SecretValue.FromUtf8("a"))], Ct);
        var first = BundleFile.ReadHeader(_dir.File("escrow.ksb"), "test")!;
        await store.ApplyAsync([StoreChange.Set(At("B"), SecretValue.FromUtf8("b"))], Ct);
        var second = BundleFile.ReadHeader(_dir.File("escrow.ksb"), "test")!;

        second.KeyParameters.ShouldBe(first.KeyParameters);
        second.Nonce.ShouldNotBe(first.Nonce);
    }

    [Fact]
    public async Task FlatAndNestedAddresses_LiveSideBySide_WithTheirMetadata()
    {
        var time = new FakeTimeProvider();
        var store = new BundleStore("escrow", _dir.File("e.ksb"), new RawBundleKey(RandomNumberGenerator.GetBytes(32)), time);
        var addresses = new[] { "escrow:DB_PASSWORD", "escrow:payments/db#password", "escrow:payments/db", "escrow:legacy/DB_PASSWORD" }
            .Select(SecretAddress.Parse).ToList();
        await store.ApplyAsync(addresses.Select(a => StoreChange.Set(a, SecretValue.FromUtf8(a.Local))).ToList(), Ct);

        (await store.ListAsync(Ct)).Select(a => a.ToString()).Order().ShouldBe(addresses.Select(a => a.ToString()).Order());
        var values = await store.ReadAsync(addresses, Ct);
        foreach (var a in addresses)
            values[a].RevealUtf8().ShouldBe(a.Local);
        var entry = store.Load()!.Entries["payments/db#password"];
        entry.Created.ShouldBe(time.GetUtcNow());
        entry.Source.ShouldBeNull();
    }

    [Fact]
    public async Task Batch_WithOneAddressOfAnotherStore_LeavesTheFileByteForByte()
    {
        var store = PassphraseStore(_variable);
        await store.ApplyAsync([StoreChange.Set(At("EXISTING"), SecretValue.FromUtf8("e"))], Ct);
        var before = File.ReadAllBytes(_dir.File("escrow.ksb"));

        var e = await Should.ThrowAsync<StoreException>(async () => await store.ApplyAsync(
            [StoreChange.Set(At("FRESH"), SecretValue.FromUtf8("f")), StoreChange.Set(SecretAddress.Parse("other:KEY"), SecretValue.FromUtf8("x"))], Ct));

        e.Message.ShouldContain("other:KEY");
        File.ReadAllBytes(_dir.File("escrow.ksb")).ShouldBe(before);
        Directory.EnumerateFiles(_dir.Path).Count().ShouldBe(1);
    }

    [Fact]
    public async Task EmptyBatch_AndDeletesOfAbsentKeys_DoNotCreateTheFile()
    {
        var store = PassphraseStore(_variable);
        await store.ApplyAsync([], Ct);
        await store.ApplyAsync([StoreChange.Delete(At("NOTHING"))], Ct);
        File.Exists(_dir.File("escrow.ksb")).ShouldBeFalse();
        (await store.ListAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task HundredThousandEntries_RoundTripInOneBatch()
    {
        var store = new BundleStore("escrow", _dir.File("big.ksb"), new RawBundleKey(RandomNumberGenerator.GetBytes(32)), TimeProvider.System);
        var changes = Enumerable.Range(0, 100_000)
            .Select(i => StoreChange.Set(new SecretAddress("escrow", $"apps/app{i % 100}", $"KEY_{i:D6}"), SecretValue.FromUtf8($"value-{i}")))
            .ToList();
        await store.ApplyAsync(changes, Ct);

        var contents = store.Load()!;

        contents.Entries.Count.ShouldBe(100_000);
        contents.Entries["apps/app42#KEY_000042"].Value.RevealUtf8().ShouldBe("value-42");
    }

    private static Dictionary<string, BundleEntry> Entries(params (string Key, string Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => new BundleEntry(SecretValue.FromUtf8(e.Value), new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), "src:" + e.Key));

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_variable, null);
        _dir.Dispose();
    }
}
