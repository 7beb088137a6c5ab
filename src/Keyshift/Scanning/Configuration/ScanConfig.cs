using Keyshift.Scanning.Rules;

namespace Keyshift.Scanning.Configuration;

/// <summary>The <c>scan:</c> section of keyshift.yaml: custom rules, allowlists and the file size limit.</summary>
internal sealed record ScanConfig
{
    public static ScanConfig Empty { get; } = new();

    public IReadOnlyList<Rule> Rules { get; init; } = [];

    public Allowlist Allow { get; init; } = Allowlist.Empty;

    public long? MaxFileBytes { get; init; }
}
