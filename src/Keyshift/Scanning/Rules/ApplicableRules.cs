using System.Buffers;
using System.Runtime.CompilerServices;

namespace Keyshift.Scanning.Rules;

/// <summary>
/// The rules that apply to one family of files, the union of their keywords, and for each keyword the rules
/// that own it. A line is searched once for all keywords and meets only the rules whose keywords it holds,
/// instead of being searched again for each rule's own keywords (one search per rule per line was most of a
/// scan's time on keyword-dense code and config).
/// </summary>
internal sealed class ApplicableRules
{
    // Past a few dozen case-insensitive strings SearchValues leaves its vectorised (Teddy) search for Aho-Corasick,
    // which alone capped a scan near 50 MB/s on keyword-dense code; groups this small stay vectorised.
    private const int GroupSize = 16;

    // Keywords grouped by their upper-cased first character (OrdinalIgnoreCase compares upper-cased).
    private readonly Dictionary<char, (string Keyword, int[] Rules)[]> _byFirst;

    public ApplicableRules(IReadOnlyList<Rule> rules)
    {
        Rules = rules;
        var owners = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < rules.Count; i++)
        {
            foreach (var keyword in rules[i].Keywords)
            {
                if (!owners.TryGetValue(keyword, out var list))
                    owners[keyword] = list = [];
                if (!list.Contains(i))
                    list.Add(i);
            }
        }
        // Keywords of similar length share a group, so a group of long ones is searched on three characters, not two.
        KeywordGroups = [.. owners.Keys.OrderByDescending(k => k.Length).ThenBy(k => k, StringComparer.OrdinalIgnoreCase)
            .Chunk(GroupSize).Select(g => SearchValues.Create(g, StringComparison.OrdinalIgnoreCase))];
        _byFirst = owners
            .GroupBy(o => char.ToUpperInvariant(o.Key[0]))
            .ToDictionary(g => g.Key, g => g.Select(o => (o.Key, o.Value.ToArray())).ToArray());
    }

    public IReadOnlyList<Rule> Rules { get; }

    /// <summary>All keywords, in groups small enough for a vectorised search; see <see cref="KeywordFinder"/>.</summary>
    public SearchValues<string>[] KeywordGroups { get; }

    /// <summary>
    /// Sets <c>marks[i]</c> for each rule <c>i</c> with a keyword wholly inside <c>text[start..end]</c>; false when
    /// none has. <paramref name="finder"/> searches <paramref name="text"/>, the whole text, so its hits are reused.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Mark(ReadOnlySpan<char> text, int start, int end, KeywordFinder finder, Span<bool> marks)
    {
        marks.Clear();
        var any = false;
        var from = start;
        while (from < end)
        {
            var at = finder.Next(text, from);
            if (at < 0 || at >= end)
                break;
            from = at;
            var rest = text[from..end];
            if (_byFirst.TryGetValue(char.ToUpperInvariant(rest[0]), out var candidates))
            {
                foreach (var (keyword, owners) in candidates)
                {
                    if (!rest.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
                        continue;
                    foreach (var rule in owners)
                        marks[rule] = true;
                    any = true;
                }
            }
            from++;
        }
        return any;
    }
}
