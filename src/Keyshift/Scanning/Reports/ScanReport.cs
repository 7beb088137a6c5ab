using Keyshift.Scanning.Rules;

namespace Keyshift.Scanning.Reports;

/// <summary>What a scan run produced: the findings left after baseline and allowlists, what was suppressed, what was skipped.</summary>
internal sealed record ScanReport
{
    public required IReadOnlyList<Finding> Findings { get; init; }

    public required IReadOnlyList<InputNote> Notes { get; init; }

    public required RuleSet Rules { get; init; }

    /// <summary>The folder SARIF URIs are relative to: the folder scanned, or the repository for history.</summary>
    public string Root { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>True when finding paths are already relative to <see cref="Root"/> (history, staged).</summary>
    public bool PathsRelativeToRoot { get; init; }

    /// <summary>Secret findings the baseline suppressed.</summary>
    public int Suppressed { get; init; }

    public int SecretCount => Findings.Count(f => f.Kind == FindingKind.Secret);

    public int ReferenceCount => Findings.Count(f => f.Kind == FindingKind.Reference);

    /// <summary>The text shown for a finding: the masked secret, or the referenced name.</summary>
    public static string Detail(Finding finding) =>
        finding.Kind == FindingKind.Secret ? finding.Masked ?? "" : finding.ReferenceName ?? "";

    public static string Message(Finding finding, Rule? rule) => finding.Kind == FindingKind.Secret
        ? $"{rule?.Description ?? finding.RuleId}: hardcoded secret {finding.Masked}, fingerprint {finding.Fingerprint?.Short}"
        + (finding.Location.Commit is { } commit ? $", added in commit {commit}" : "")
        : $"reference to '{finding.ReferenceName}' ({rule?.Description ?? finding.RuleId})";
}
