using Keyshift.Scanning.Rules;
using Keyshift.Secrets;

namespace Keyshift.Scanning;

/// <summary>How a scan runs. The defaults scan like <c>keyshift scan</c> with no options.</summary>
internal sealed record ScanOptions
{
    /// <summary>Key for the fingerprints shown with findings: the workspace key, a baseline's, or one made for this run.</summary>
    public FingerprintKey FingerprintKey { get; init; } = FingerprintKey.CreateRandom();

    /// <summary>Key derived from a baseline's salt; when set, each secret also gets a <see cref="Finding.BaselineFingerprint"/>.</summary>
    public FingerprintKey? BaselineKey { get; init; }

    public RuleSet Rules { get; init; } = RuleSet.BuiltIn;

    public Allowlist Allow { get; init; } = Allowlist.Empty;

    /// <summary>Inside a git work tree, list files through git so that .gitignore, .git/info/exclude and the global excludes apply.</summary>
    public bool RespectGitignore { get; init; } = true;

    /// <summary>Files larger than this are skipped with a reason.</summary>
    public long MaxFileBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Lines longer than this (minified files) are searched in windows of this size around each keyword.</summary>
    public int MaxLineLength { get; init; } = 4096;

    /// <summary>How far a multi-line rule (PEM blocks, YAML mappings) may reach past its first line.</summary>
    public int MultilineReach { get; init; } = 16 * 1024;

    /// <summary>How many files are read and scanned at once (one worker per core by default); 1 scans on the calling thread.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Commits shown by one <c>git log</c> in a history scan: git's memory follows this, not the length of history.</summary>
    public int HistoryBatch { get; init; } = 1000;

    /// <summary>Keep each secret's value in <see cref="Finding.Value"/>, for <c>init --from-scan</c>. Off by default.</summary>
    public bool KeepValues { get; init; }
}
