using System.Buffers;
using System.Text.RegularExpressions;

namespace Keyshift.Scanning.Rules;

/// <summary>
/// One detection rule. Content meets <see cref="Pattern"/> only where one of <see cref="Keywords"/> occurs
/// (case-insensitive). For a secret rule the group <c>secret</c> (else the whole match) is the value; for a
/// reference rule the group <c>name</c> is the referenced name.
/// </summary>
internal sealed record Rule
{
    private readonly IReadOnlyList<string> _keywords = [];

    public required string Id { get; init; }

    public required string Description { get; init; }

    public FindingKind Kind { get; init; } = FindingKind.Secret;

    public required IReadOnlyList<string> Keywords
    {
        get => _keywords;
        init
        {
            _keywords = value;
            KeywordValues = SearchValues.Create([.. value], StringComparison.OrdinalIgnoreCase);
        }
    }

    public SearchValues<string> KeywordValues { get; private init; } = SearchValues.Create([], StringComparison.OrdinalIgnoreCase);

    public required Regex Pattern { get; init; }

    /// <summary>Minimum Shannon entropy (bits per character) of the value; null when the pattern is specific enough.</summary>
    public double? Entropy { get; init; }

    /// <summary>Minimum length of the value.</summary>
    public int MinLength { get; init; } = 1;

    /// <summary>Known public prefixes (<c>ghp_</c>, <c>AKIA</c>); up to four of their characters may be shown.</summary>
    public IReadOnlyList<string> PublicPrefixes { get; init; } = [];

    public FileKinds Files { get; init; } = FileKinds.All;

    /// <summary>True when a match spans lines (PEM blocks, YAML mappings): it is searched from its line onward.</summary>
    public bool Multiline { get; init; }

    /// <summary>
    /// A generic rule (an assignment to a key named like a secret) gets the full placeholder, reference and hash
    /// checks; a specific token format only the checks that cannot fire by chance on random characters.
    /// </summary>
    public bool Generic { get; init; }

    /// <summary>
    /// The pattern begins with <c>\G</c> and is tried only where one of the keywords starts. Case-insensitive
    /// alternations of many words are slow to search for inside the regex engine; the keyword search is not.
    /// </summary>
    public bool Anchored { get; init; }

    /// <summary>How far past its line a multi-line match may reach; null for <see cref="ScanOptions.MultilineReach"/>.</summary>
    public int? Reach { get; init; }

    public MatchFilter? Accept { get; init; }

    /// <summary>
    /// For an anchored rule: false when a value starting with these characters can never be accepted (a reference,
    /// an unquoted expression in code), so the pattern need not run. Must never reject what <see cref="Accept"/> and
    /// the placeholder checks would keep.
    /// </summary>
    public ValueStartFilter? AcceptsValueStart { get; init; }

    public ReferenceNamer? Name { get; init; }

    public required IReadOnlyList<RuleSample> TruePositives { get; init; }

    public required IReadOnlyList<RuleSample> FalsePositives { get; init; }
}
