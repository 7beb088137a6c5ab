using System.Text;
using BenchmarkDotNet.Attributes;
using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.Stores;
using YamlDotNet.RepresentationModel;

namespace Keyshift.Benchmarks.Stores;

/// <summary>
/// A source file with 10,000 hardcoded values, two per line: reading them all (one fingerprint per span) and
/// rewriting them all to references in one batch (cutover) must stay linear in the file size.
/// </summary>
[MemoryDiagnoser]
public class HardcodedStoreBenchmarks
{
    private const int Values = 10_000;
    private string _root = "";
    private byte[] _original = [];
    private Store _store = null!;
    private List<SecretAddress> _addresses = [];

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "keyshift-bench", Guid.NewGuid().ToString("N")[..12]);
        var workspace = new Workspace(Path.Combine(_root, "keyshift.yaml"));
        var key = FingerprintKey.CreateRandom();
        key.SaveNew(workspace.KeyPath);
        var text = new StringBuilder();
        var config = new StringBuilder("type: hardcoded\npath: settings.py\nvalues:\n");
        for (var line = 1; line <= Values / 2; line++)
        {
            var (a, b) = ($"user-{line:D6}-secret", $"pass-{line:D6}-s3cr3t-value");
            var prefix = $"URL_{line} = \"postgres://";
            text.Append(prefix).Append(a).Append(':').Append(b).Append("@db:5432/app\"  # keep\n");
            config.Append($"  U{line}: {{ line: {line}, column: {prefix.Length + 1}, length: {a.Length}, fingerprint: {key.Of(SecretValue.FromUtf8(a)).Hex} }}\n");
            config.Append($"  P{line}: {{ line: {line}, column: {prefix.Length + a.Length + 2}, length: {b.Length}, fingerprint: {key.Of(SecretValue.FromUtf8(b)).Hex} }}\n");
            _addresses.Add(new SecretAddress("bench", $"U{line}"));
            _addresses.Add(new SecretAddress("bench", $"P{line}"));
        }
        _original = Encoding.UTF8.GetBytes(text.ToString());
        File.WriteAllBytes(Path.Combine(_root, "settings.py"), _original);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(config.ToString()));
        var errors = new ErrorList();
        var settings = new Settings((YamlMappingNode)yaml.Documents[0].RootNode, "keyshift.yaml", "stores.bench", errors);
        _store = StoreTypes.Create("hardcoded", new StoreContext("bench", settings, workspace))!;
        errors.ThrowIfAny();
    }

    [IterationSetup(Target = nameof(RewriteAll))]
    public void RestoreFile() => File.WriteAllBytes(Path.Combine(_root, "settings.py"), _original);

    [Benchmark]
    public async Task<int> ReadAll() => (await _store.ReadAsync(_addresses, CancellationToken.None)).Count;

    [Benchmark]
    public ValueTask RewriteAll() => _store.ApplyAsync(_addresses.Select(StoreChange.Delete).ToList(), CancellationToken.None);

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);
}
