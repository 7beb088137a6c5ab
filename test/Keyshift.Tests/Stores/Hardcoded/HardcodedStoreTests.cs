using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Stores.Hardcoded;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Stores.Hardcoded;

/// <summary>The hardcoded store on real files: spans read by fingerprint, deletes rewritten to ${NAME}, other bytes untouched.</summary>
public sealed class HardcodedStoreTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FingerprintKey _key = FingerprintKey.CreateRandom();
    private readonly string _db = Canary.New("db");
    private readonly string _user = Canary.New("user");

    public HardcodedStoreTests() => _key.SaveNew(new Workspace(_dir.File("keyshift.yaml")).KeyPath);

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SecretAddress At(string name) => new("settings-py", name);

    private string Fp(string value) => _key.Of(SecretValue.FromUtf8(value)).Hex;

    private static string Entry(string name, int line, int column, int length, string fingerprint) =>
        $"  {name}: {{ line: {line}, column: {column}, length: {length}, fingerprint: {fingerprint} }}\n";

    private HardcodedStore Store(string values, string extra = "")
    {
        var errors = new ErrorList();
        var yaml = $"type: hardcoded\npath: src/settings.py\n{extra}values:\n{values}";
        var store = new HardcodedStore(new StoreContext("settings-py", SettingsFactory.Parse(yaml, errors, fieldPath: "stores.settings-py"), new Workspace(_dir.File("keyshift.yaml"))));
        errors.Any.ShouldBeFalse(string.Join("\n", errors.Items.Select(e => e.ToString())));
        return store;
    }

    /// <summary>settings.py with the password on line 2 and a URL holding user and password on line 3.</summary>
    private HardcodedStore Settings(string extra = "")
    {
        _dir.Write("src/settings.py", $"import os\r\nDB_PASSWORD = \"{_db}\"  # keep\nURL = \"postgres://{_user}:{_db}@db:5432/app\"\n# é end\n");
        var urlUser = "URL = \"postgres://".Length + 1;
        return Store(
            Entry("DB_PASSWORD", 2, 16, _db.Length, Fp(_db))
            + Entry("URL_USER", 3, urlUser, _user.Length, Fp(_user))
            + Entry("URL_PASSWORD", 3, urlUser + _user.Length + 1, _db.Length, Fp(_db)),
            extra);
    }

    private string File() => System.IO.File.ReadAllText(_dir.File("src/settings.py"));

    [Fact]
    public async Task Read_ReturnsTheValueAtEachSpan()
    {
        var store = Settings();

        var values = await store.ReadAsync([At("DB_PASSWORD"), At("URL_USER"), At("URL_PASSWORD")], Ct);

        values[At("DB_PASSWORD")].RevealUtf8().ShouldBe(_db);
        values[At("URL_USER")].RevealUtf8().ShouldBe(_user);
        values[At("URL_PASSWORD")].RevealUtf8().ShouldBe(_db);
        (await store.ListAsync(Ct)).Select(a => a.Path).Order().ShouldBe(["DB_PASSWORD", "URL_PASSWORD", "URL_USER"]);
    }

    [Fact]
    public async Task Read_WhenTheSpanNoLongerHoldsTheValue_NamesFileLineColumn_WithoutTheValue()
    {
        var store = Settings();
        var other = Canary.New("other");
        System.IO.File.WriteAllText(_dir.File("src/settings.py"), File().Replace(_db + "\"  # keep", other[.._db.Length] + "\"  # keep", StringComparison.Ordinal));

        var e = await Should.ThrowAsync<StoreException>(async () => await store.ReadAsync([At("DB_PASSWORD")], Ct));

        e.Message.ShouldContain("src/settings.py:2:16");
        e.Message.ShouldContain("settings-py:DB_PASSWORD");
        Canary.FindIn(e.Message, "message", [_db, other]).ShouldBeEmpty();
    }

    [Fact]
    public async Task Delete_RewritesSpansToReferences_RightToLeftOnOneLine_OtherBytesUntouched()
    {
        var store = Settings();
        var before = File();

        await store.ApplyAsync([StoreChange.Delete(At("URL_USER")), StoreChange.Delete(At("URL_PASSWORD")), StoreChange.Delete(At("DB_PASSWORD"))], Ct);

        File().ShouldBe(before.Replace($"\"{_db}\"  # keep", "\"${DB_PASSWORD}\"  # keep", StringComparison.Ordinal)
            .Replace($"//{_user}:{_db}@", "//${URL_USER}:${URL_PASSWORD}@", StringComparison.Ordinal));
        File().ShouldStartWith("import os\r\n");
        File().ShouldEndWith("# é end\n");
        System.IO.File.Exists(_dir.File("src/settings.py.keyshift.bak")).ShouldBeFalse();
        (await store.ReadAsync([At("DB_PASSWORD"), At("URL_USER")], Ct)).ShouldBeEmpty();
        (await store.ListAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Delete_InTwoBatches_FindsTheSecondSpanAfterTheFirstShiftedIt()
    {
        var store = Settings();
        var before = File();

        await store.ApplyAsync([StoreChange.Delete(At("URL_USER"))], Ct);
        (await store.ReadAsync([At("URL_PASSWORD")], Ct))[At("URL_PASSWORD")].RevealUtf8().ShouldBe(_db);
        await store.ApplyAsync([StoreChange.Delete(At("URL_PASSWORD")), StoreChange.Delete(At("URL_USER"))], Ct);

        File().ShouldContain("postgres://${URL_USER}:${URL_PASSWORD}@db:5432/app");
        File().Length.ShouldBe(before.Length - _user.Length - _db.Length + "${URL_USER}${URL_PASSWORD}".Length);
    }

    [Fact]
    public async Task Delete_WithBackup_KeepsTheOriginalBytes()
    {
        var store = Settings("backup: true\n");
        var before = System.IO.File.ReadAllBytes(_dir.File("src/settings.py"));

        await store.ApplyAsync([StoreChange.Delete(At("DB_PASSWORD"))], Ct);
        await store.ApplyAsync([StoreChange.Delete(At("URL_USER"))], Ct);

        System.IO.File.ReadAllBytes(_dir.File("src/settings.py.keyshift.bak")).ShouldBe(before);
    }

    [Fact]
    public async Task Set_RestoresOnlyTheDeclaredValue_AndRefusesAnyOther()
    {
        var store = Settings();
        var before = File();
        await store.ApplyAsync([StoreChange.Delete(At("DB_PASSWORD"))], Ct);

        var other = Canary.New("new");
        var e = await Should.ThrowAsync<StoreException>(async () => await store.ApplyAsync([StoreChange.Set(At("DB_PASSWORD"), SecretValue.FromUtf8(other))], Ct));
        e.Message.ShouldContain("takes no new values");
        Canary.FindIn(e.Message, "message", [other]).ShouldBeEmpty();

        await store.ApplyAsync([StoreChange.Set(At("DB_PASSWORD"), SecretValue.FromUtf8(_db))], Ct);
        File().ShouldBe(before);
    }

    [Fact]
    public async Task Delete_OfAChangedSpan_ChangesNothing()
    {
        var store = Settings();
        System.IO.File.WriteAllText(_dir.File("src/settings.py"), "import os\n# moved\n" + File()[11..]);
        var before = File();

        await Should.ThrowAsync<StoreException>(async () => await store.ApplyAsync([StoreChange.Delete(At("URL_USER")), StoreChange.Delete(At("DB_PASSWORD"))], Ct));

        File().ShouldBe(before);
    }

    [Fact]
    public async Task UndeclaredName_IsRefused()
    {
        var store = Settings();

        var e = await Should.ThrowAsync<StoreException>(async () => await store.ReadAsync([At("OTHER")], Ct));

        e.Message.ShouldContain("'OTHER' is not declared under stores.settings-py.values");
    }

    [Fact]
    public void BadConfig_IsReportedWithLineAndField()
    {
        var errors = new ErrorList();
        var yaml = "type: hardcoded\npath: src/settings.py\nvalues:\n  DB_PASSWORD: { line: 0, column: 16, length: 15, fingerprint: abc }\n  9BAD: { line: 1, column: 1, length: 1, fingerprint: x }\n  TOKEN: { line: 2, column: 1, value: secret }\n";

        _ = new HardcodedStore(new StoreContext("settings-py", SettingsFactory.Parse(yaml, errors, fieldPath: "stores.settings-py"), new Workspace(_dir.File("keyshift.yaml"))));

        var messages = errors.Items.Select(e => e.ToString()).ToList();
        messages.ShouldContain(m => m.Contains(":4:", StringComparison.Ordinal) && m.Contains("stores.settings-py.values.DB_PASSWORD.line", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains("stores.settings-py.values.DB_PASSWORD.fingerprint", StringComparison.Ordinal) && m.Contains("64 hex digits", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains(":5:", StringComparison.Ordinal) && m.Contains("stores.settings-py.values.9BAD", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains("stores.settings-py.values.TOKEN.value", StringComparison.Ordinal) && m.Contains("unknown field", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains("stores.settings-py.values.TOKEN.length", StringComparison.Ordinal) && m.Contains("is required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MissingWorkspaceKey_IsAClearError()
    {
        var store = Settings();
        System.IO.File.Delete(new Workspace(_dir.File("keyshift.yaml")).KeyPath);

        var e = await Should.ThrowAsync<StoreException>(async () => await store.ReadAsync([At("DB_PASSWORD")], Ct));

        e.Message.ShouldContain("workspace key");
    }
}
