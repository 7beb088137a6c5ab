using BenchmarkDotNet.Attributes;
using Keyshift.Apis.Diff;

namespace Keyshift.Benchmarks.Apis;

/// <summary>
/// <c>api diff</c> on a generated ~10 MB document (1,000 resources: 5,000 operations, 1,000 recursive schemas) against a
/// changed copy. Peak memory is measured separately with <c>/usr/bin/time -v keyshift api diff</c> on the same files.
/// </summary>
[MemoryDiagnoser]
public class ApiDiffBenchmarks
{
    private string _folder = "";

    [Params(1000)]
    public int Resources { get; set; }

    [GlobalSetup]
    public void Setup() => _folder = OpenApiGenerator.WriteFiles(Resources);

    [Benchmark]
    public int Json() => Run("v1.json", "v2.json");

    [Benchmark]
    public int Yaml() => Run("v1.yaml", "v2.yaml");

    private int Run(string old, string @new) => ApiDiff.Run(new ApiDiffOptions
    {
        OldPath = Path.Combine(_folder, old),
        NewPath = Path.Combine(_folder, @new),
        Today = new DateOnly(2026, 11, 22),
    }).Changes.Count;
}
