using System.Runtime.CompilerServices;

namespace Keyshift.Scanning.Rules;

/// <summary>
/// The rules that apply to one family of files, the index of their keywords, and for each keyword the rules
/// that own it. A line is searched once for all keywords and meets only the rules whose keywords it holds,
/// instead of being searched again for each rule's own keywords (one search per rule per line was most of a
/// scan's time on keyword-dense code and config).
/// </summary>
internal sealed class ApplicableRules
{
    private readonly int[][] _owners;

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
        Keywords = new KeywordIndex([.. owners.Keys]);
        _owners = [.. owners.Values.Select(o => o.ToArray())];
    }

    public IReadOnlyList<Rule> Rules { get; }

    public KeywordIndex Keywords { get; }

    /// <summary>The rules owning keyword <paramref name="id"/> of <see cref="Keywords"/>.</summary>
    public int[] OwnersOf(int id) => _owners[id];

    /// <summary>
    /// Sets <c>marks[i]</c> for each rule <c>i</c> with a keyword wholly inside <c>text[start..end]</c> and records
    /// every keyword found in <paramref name="hits"/> (position, keyword id); false when there is none.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Mark(ReadOnlySpan<char> text, int start, int end, Span<bool> marks, List<(int At, int Keyword)> hits)
    {
        marks.Clear();
        hits.Clear();
        var from = start;
        while (from < end)
        {
            var at = Keywords.Next(text, from, end, out var candidates);
            if (at < 0)
                break;
            var rest = text[at..end];
            foreach (var keyword in candidates)
            {
                if (!KeywordIndex.StartsAt(keyword, rest))
                    continue;
                foreach (var rule in _owners[keyword.Id])
                    marks[rule] = true;
                hits.Add((at, keyword.Id));
            }
            from = at + 1;
        }
        return hits.Count > 0;
    }
}
