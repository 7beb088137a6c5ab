using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Keyshift.Audit;
using Keyshift.Secrets;

namespace Keyshift.Benchmarks.Audit;

/// <summary>
/// The audit log at engine scale: one batch of 100,000 entries appended (one write, one fsync), and a full
/// streaming verification of a 100,000-entry log. Run: <c>dotnet run -c Release --project bench/Keyshift.Benchmarks -- --filter '*AuditBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class AuditBenchmarks
{
    private readonly FingerprintKey _key = FingerprintKey.CreateRandom();
    private string _dir = "";
    private List<AuditRecord> _records = [];

    [Params(100_000)]
    public int Entries { get; set; }

    private string AppendPath => Path.Combine(_dir, "append", "audit.jsonl");

    private string VerifyPath => Path.Combine(_dir, "verify", "audit.jsonl");

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "keyshift-bench-audit-" + Guid.NewGuid().ToString("N")[..8]);
        var fingerprint = _key.Of(SecretValue.FromUtf8("benchmark"));
        _records = Enumerable.Range(1, Entries).Select(i => new AuditRecord
        {
            Action = "stage",
            Result = i % 2 == 0 ? "ok" : "intent",
            Move = $"legacy:SERVICE_{i}_API_KEY",
            Step = "stage",
            Evidence = AuditEvidence.None
                .With("sourceFingerprint", fingerprint)
                .With("target", SecretAddress.Parse($"governed:services/s{i}#apiKey"))
                .With("gate.verified", true),
        }).ToList();
        using var log = AuditLog.Open(VerifyPath, _key, TimeProvider.System, options: new AuditLogOptions { Actor = "bench" });
        log.AppendBatch(_records);
    }

    [IterationSetup(Target = nameof(AppendBatch))]
    public void EmptyAppendLog()
    {
        if (File.Exists(AppendPath))
            File.Delete(AppendPath);
    }

    [Benchmark]
    public long AppendBatch()
    {
        using var log = AuditLog.Open(AppendPath, _key, TimeProvider.System, options: new AuditLogOptions { Actor = "bench" });
        return log.AppendBatch(_records).Count;
    }

    [Benchmark]
    public long Verify()
    {
        var result = AuditVerifier.Verify(VerifyPath, _key);
        return result.Intact ? result.Entries : throw new InvalidOperationException("the benchmark log does not verify");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);
}
