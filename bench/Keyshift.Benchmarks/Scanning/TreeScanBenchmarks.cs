using BenchmarkDotNet.Attributes;
using Keyshift.Scanning;
using Keyshift.Scanning.Rules;

namespace Keyshift.Benchmarks.Scanning;

/// <summary>
/// The scanning core over a whole generated tree held in memory (no file reads, no report): the keyword index alone,
/// and the content scanner with every rule. Make the tree first with
/// <c>python3 bench/scan/make_tree.py /tmp/keyshift-scan-bench/tree-20 20</c>, or point KEYSHIFT_BENCH_TREE at another.
/// </summary>
[MemoryDiagnoser]
public class TreeScanBenchmarks
{
    private readonly List<Finding> _found = [];
    private List<(ScanTarget Target, string Text)> _files = [];
    private ContentScanner _scanner = null!;

    [GlobalSetup]
    public void Setup()
    {
        var root = Environment.GetEnvironmentVariable("KEYSHIFT_BENCH_TREE") ?? "/tmp/keyshift-scan-bench/tree-20";
        _files = [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => (ScanTarget.For(Path.GetRelativePath(root, f)), File.ReadAllText(f)))];
        _scanner = new ContentScanner(new ScanOptions());
    }

    [Benchmark]
    public int KeywordIndexOnly()
    {
        var hits = 0;
        foreach (var (target, text) in _files)
        {
            var index = RuleSet.BuiltIn.For(target.Kind).Keywords;
            for (var at = index.Next(text, 0, text.Length, out _); at >= 0; at = index.Next(text, at + 1, text.Length, out _))
                hits++;
        }
        return hits;
    }

    [Benchmark]
    public int ContentScanner()
    {
        var found = 0;
        foreach (var (target, text) in _files)
        {
            _found.Clear();
            _scanner.Scan(text, target, _found);
            found += _found.Count;
        }
        return found;
    }
}
