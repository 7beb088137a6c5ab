using Keyshift.Tests.Support;

namespace Keyshift.Tests.Inventory;

/// <summary>
/// Hardcoded secrets relocated end to end through the CLI: init --from-scan declares them, apply copies them
/// while the files stay as they are, cutover rewrites the files to references, and nothing else ever holds a value.
/// </summary>
public sealed class RelocationCutoverTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new();
    private readonly string _db = Canary.New("db");
    private readonly string _url = Canary.New("url");
    private readonly string _spring = Canary.New("spring");

    public RelocationCutoverTests()
    {
        _dir.Write("src/settings.py", $"import os\n\nDB_PASSWORD = \"{_db}\"  # the main database\nURL = \"postgres://app:{_url}@db:5432/app\"\n");
        _dir.Write("src/main/resources/application.properties", $"app.name=payments\nspring.datasource.password={_spring}\nserver.port=8080\n");
    }

    public void Dispose() => _dir.Dispose();

    private string[] Canaries => [_db, _url, _spring];

    private string ConfigPath => _dir.File("keyshift.yaml");

    private Task<CliRunner.Result> Run(params string[] args) => CliRunner.RunAsync(_time, [.. args, "-c", ConfigPath]);

    private string Settings => File.ReadAllText(_dir.File("src/settings.py"));

    private string Properties => File.ReadAllText(_dir.File("src/main/resources/application.properties"));

    [Fact]
    public async Task InitApplyCutover_RewritesFilesToReferencesAtCutoverOnly_AndNoValueLeaks()
    {
        var outputs = new List<CliRunner.Result>();
        async Task<CliRunner.Result> Step(int exit, params string[] args)
        {
            var result = await Run(args);
            outputs.Add(result);
            result.ExitCode.ShouldBe(exit, result.ToString());
            return result;
        }
        var original = _dir.Snapshot();

        await Step(0, "init", "--from-scan", _dir.File("src"));
        await Step(0, "apply", "--until", "verified");

        _dir.Snapshot(except: "governed")["src/settings.py"].ShouldBe(original["src/settings.py"]);
        _dir.Snapshot()["src/main/resources/application.properties"].ShouldBe(original["src/main/resources/application.properties"]);
        var governed = File.ReadAllText(_dir.File("governed/secrets.json"));
        foreach (var value in Canaries)
            governed.ShouldContain(value);

        await Step(0, "apply", "--until", "cutover");

        Settings.ShouldBe("import os\n\nDB_PASSWORD = \"${DB_PASSWORD}\"  # the main database\nURL = \"postgres://app:${URL_PASSWORD}@db:5432/app\"\n");
        Properties.ShouldBe("app.name=payments\nspring.datasource.password=${SPRING_DATASOURCE_PASSWORD}\nserver.port=8080\n");
        Directory.EnumerateFiles(_dir.Path, "*.keyshift.bak", SearchOption.AllDirectories).ShouldBeEmpty();
        var scan = await CliRunner.RunAsync("scan", _dir.File("src"));
        outputs.Add(scan);
        scan.ExitCode.ShouldBe(0, scan.ToString());
        scan.Out.ShouldContain("0 secret(s), 3 reference(s)");

        // A rewritten hardcoded source is what cutover means, not drift.
        (await Step(0, "drift")).Out.ShouldContain("No drift");
        await Step(0, "verify");

        // Retire finds the sources already rewritten: nothing left to delete, the files stay as cutover left them.
        await Step(0, "approve", "--all", "--by", "alice");
        _time.Advance(TimeSpan.FromHours(73));
        var afterCutover = _dir.Snapshot(except: ".keyshift");
        await Step(0, "retire", "--all");
        _dir.Snapshot(except: ".keyshift").ShouldBe(afterCutover);
        (await Step(0, "status")).Out.ShouldContain("retired");
        await Step(0, "audit", "verify");

        var leaks = outputs.SelectMany(o => Canary.FindIn(o.All, "output", Canaries))
            .Concat(Canary.FindIn(File.ReadAllText(ConfigPath), "keyshift.yaml", Canaries))
            .Concat(Canary.FindIn(File.ReadAllText(_dir.File("keyshift-references.patch")), "patch", Canaries))
            .Concat(Directory.EnumerateFiles(_dir.File(".keyshift")).SelectMany(f => Canary.FindIn(File.ReadAllBytes(f), f, Canaries)))
            .Concat(Canary.FindIn(Settings + Properties, "rewritten files", Canaries));
        leaks.ShouldBeEmpty();
        File.ReadAllText(_dir.File(".keyshift/audit.jsonl")).ShouldContain("\"action\":\"rewrite\"");
    }

    [Fact]
    public async Task Backup_IsKeptOnlyWhenAsked_AndRollbackAfterCutover_PutsTheValuesBack()
    {
        var original = _dir.Snapshot();
        (await Run("init", "--from-scan", _dir.File("src"), "--backup")).ExitCode.ShouldBe(0);
        File.ReadAllText(ConfigPath).ShouldContain("backup: true");
        (await Run("apply", "--until", "cutover")).ExitCode.ShouldBe(0);
        Settings.ShouldNotContain(_db);
        File.ReadAllText(_dir.File("src/settings.py.keyshift.bak")).ShouldContain(_db);

        var rollback = await Run("rollback", "--all");

        rollback.ExitCode.ShouldBe(0, rollback.ToString());
        var now = _dir.Snapshot();
        now["src/settings.py"].ShouldBe(original["src/settings.py"]);
        now["src/main/resources/application.properties"].ShouldBe(original["src/main/resources/application.properties"]);
        File.ReadAllText(_dir.File("governed/secrets.json")).ShouldNotContain("canary-");
        Canary.FindIn(rollback.All, "output", Canaries).ShouldBeEmpty();
    }

    [Fact]
    public async Task Cutover_WhenAFileChangedSinceInit_NamesTheSpan_AndRewritesNothingThere()
    {
        (await Run("init", "--from-scan", _dir.File("src"))).ExitCode.ShouldBe(0);
        (await Run("apply", "--until", "verified")).ExitCode.ShouldBe(0);
        File.WriteAllText(_dir.File("src/settings.py"), "# a new first line\n" + Settings);
        var before = Settings;

        var result = await Run("apply", "--until", "cutover");

        result.ExitCode.ShouldNotBe(0);
        result.Err.ShouldContain("src/settings.py:3:16");
        Settings.ShouldBe(before);
        Canary.FindIn(result.All, "output", Canaries).ShouldBeEmpty();
    }

    [Fact]
    public async Task MoveIntoAHardcodedStore_IsBadInput_NamingLineAndField()
    {
        (await Run("init", "--from-scan", _dir.File("src"))).ExitCode.ShouldBe(0);
        var move = "  - from: 'governed:relocated#URL_PASSWORD'\n    to: 'src-settings-py:OTHER'\n";
        File.WriteAllText(ConfigPath, File.ReadAllText(ConfigPath).Replace("cutover: {", move + "cutover: {", StringComparison.Ordinal));

        var result = await Run("plan");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Err.ShouldContain("to: store 'src-settings-py' (hardcoded) cannot receive values");
    }
}
