namespace Keyshift.Scanning;

/// <summary>What <c>keyshift scan</c> was asked to do.</summary>
internal sealed record ScanRequest
{
    public IReadOnlyList<string> Paths { get; init; } = ["."];

    public bool History { get; init; }

    public bool Staged { get; init; }

    /// <summary>keyshift.yaml given with -c: its <c>scan</c> section applies and its workspace key fingerprints findings.</summary>
    public string? ConfigPath { get; init; }

    public string? BaselinePath { get; init; }

    public string? WriteBaselinePath { get; init; }

    public bool RespectGitignore { get; init; } = true;

    public long? MaxFileBytes { get; init; }

    /// <summary>Files scanned at once; null for one per core.</summary>
    public int? Jobs { get; init; }
}
