using BenchmarkDotNet.Attributes;
using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Stores.Kubernetes;
using Keyshift.Stores.Yaml;
using YamlDotNet.RepresentationModel;

namespace Keyshift.Benchmarks.Stores;

/// <summary>
/// One batch of 100,000 keys into the yaml store (100 new mappings of 1,000 keys) and into the k8s-secret store
/// (100 new Secret documents of 1,000 keys), an update of all of them in the existing file, and reading them back.
/// </summary>
[MemoryDiagnoser]
public class YamlStoreBenchmarks
{
    private const int Keys = 100_000;

    private string _root = "";
    private Store _yaml = null!;
    private Store _k8s = null!;
    private List<StoreChange> _yamlWrites = null!;
    private List<StoreChange> _k8sWrites = null!;
    private List<SecretAddress> _yamlAddresses = null!;
    private List<SecretAddress> _k8sAddresses = null!;

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "keyshift-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_root);
        _yaml = new YamlStore(Context("yaml", "secrets.yaml"));
        _k8s = new KubernetesSecretStore(Context("k8s-secret", "manifests.yaml"));
        _yamlAddresses = [.. Enumerable.Range(0, Keys).Select(i => new SecretAddress("bench", $"service-{i % 100}/db", $"KEY_{i:D6}"))];
        _k8sAddresses = [.. Enumerable.Range(0, Keys).Select(i => new SecretAddress("bench", $"payments/secret-{i % 100}", $"KEY_{i:D6}"))];
        _yamlWrites = [.. _yamlAddresses.Select((a, i) => StoreChange.Set(a, SecretValue.FromUtf8($"value-{i}-s3cr3t")))];
        _k8sWrites = [.. _k8sAddresses.Select((a, i) => StoreChange.Set(a, SecretValue.FromUtf8($"value-{i}-s3cr3t")))];
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [IterationSetup(Targets = [nameof(YamlWriteNewFile), nameof(K8sWriteNewFile)])]
    public void RemoveFiles()
    {
        File.Delete(Path.Combine(_root, "secrets.yaml"));
        File.Delete(Path.Combine(_root, "manifests.yaml"));
    }

    [IterationSetup(Targets = [nameof(YamlUpdateExisting), nameof(K8sUpdateExisting), nameof(YamlRead), nameof(K8sRead)])]
    public void FillFiles()
    {
        RemoveFiles();
        _yaml.ApplyAsync(_yamlWrites, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _k8s.ApplyAsync(_k8sWrites, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public ValueTask YamlWriteNewFile() => _yaml.ApplyAsync(_yamlWrites, CancellationToken.None);

    [Benchmark]
    public ValueTask K8sWriteNewFile() => _k8s.ApplyAsync(_k8sWrites, CancellationToken.None);

    [Benchmark]
    public ValueTask YamlUpdateExisting() => _yaml.ApplyAsync(_yamlWrites, CancellationToken.None);

    [Benchmark]
    public ValueTask K8sUpdateExisting() => _k8s.ApplyAsync(_k8sWrites, CancellationToken.None);

    [Benchmark]
    public async Task<int> YamlRead() => (await _yaml.ReadAsync(_yamlAddresses, CancellationToken.None)).Count;

    [Benchmark]
    public async Task<int> K8sRead() => (await _k8s.ReadAsync(_k8sAddresses, CancellationToken.None)).Count;

    private StoreContext Context(string type, string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader($"type: {type}\npath: {file}\n"));
        var settings = new Settings((YamlMappingNode)stream.Documents[0].RootNode, "keyshift.yaml", "stores.bench", new ErrorList());
        return new StoreContext("bench", settings, new Workspace(Path.Combine(_root, "keyshift.yaml")));
    }
}
