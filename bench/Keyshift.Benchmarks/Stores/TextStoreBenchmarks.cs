using BenchmarkDotNet.Attributes;
using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.Stores;
using YamlDotNet.RepresentationModel;

namespace Keyshift.Benchmarks.Stores;

/// <summary>
/// One batch of 100,000 new keys written to a dotenv or JSON file, and all of them read back:
/// both stores must stay linear (one parse, one rewrite) at that size.
/// </summary>
[MemoryDiagnoser]
public class TextStoreBenchmarks
{
    private const int Keys = 100_000;
    private string _root = "";
    private Store _store = null!;
    private List<StoreChange> _changes = [];
    private List<SecretAddress> _addresses = [];

    [Params("dotenv", "json")]
    public string Type { get; set; } = "dotenv";

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "keyshift-bench", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_root);
        var file = Type == "json" ? "secrets.json" : ".env";
        var yaml = new YamlStream();
        yaml.Load(new StringReader($"type: {Type}\npath: {file}"));
        var settings = new Settings((YamlMappingNode)yaml.Documents[0].RootNode, "keyshift.yaml", "stores.bench", new ErrorList());
        var context = new StoreContext("bench", settings, new Workspace(Path.Combine(_root, "keyshift.yaml")));
        _store = StoreTypes.Create(Type, context)!;
        _addresses = Enumerable.Range(0, Keys)
            .Select(i => Type == "json" ? new SecretAddress("bench", $"app/group{i % 100}", $"KEY_{i:D6}") : new SecretAddress("bench", $"KEY_{i:D6}"))
            .ToList();
        _changes = _addresses.Select((a, i) => StoreChange.Set(a, SecretValue.FromUtf8($"value-{i}-with some text #{i % 7}"))).ToList();
        _store.ApplyAsync(_changes, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    [IterationSetup(Target = nameof(WriteBatch))]
    public void RemoveFile()
    {
        foreach (var f in Directory.EnumerateFiles(_root))
            File.Delete(f);
    }

    [Benchmark]
    public ValueTask WriteBatch() => _store.ApplyAsync(_changes, CancellationToken.None);

    [Benchmark]
    public async Task<int> ReadAll() => (await _store.ReadAsync(_addresses, CancellationToken.None)).Count;

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);
}
