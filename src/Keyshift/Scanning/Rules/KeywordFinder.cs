using System.Buffers;
using System.Runtime.CompilerServices;

namespace Keyshift.Scanning.Rules;

/// <summary>
/// Finds the next keyword of <see cref="ApplicableRules.KeywordGroups"/> in one text. Each group remembers its
/// next hit, so the text is searched once per group however often the scanner asks. Not thread-safe: one per scanner.
/// </summary>
internal sealed class KeywordFinder
{
    private readonly SearchValues<string>[] _groups;
    private readonly int[] _from;
    private readonly int[] _next;

    public KeywordFinder(SearchValues<string>[] groups)
    {
        _groups = groups;
        _from = new int[groups.Length];
        _next = new int[groups.Length];
        Reset();
    }

    /// <summary>Forgets what was found in the previous text.</summary>
    public void Reset() => _from.AsSpan().Fill(int.MaxValue);

    /// <summary>The first position at or after <paramref name="from"/> where a keyword lies wholly inside <paramref name="text"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Next(ReadOnlySpan<char> text, int from)
    {
        var best = int.MaxValue;
        for (var g = 0; g < _groups.Length; g++)
        {
            if (_from[g] > from || _next[g] < from)
            {
                var at = text[from..].IndexOfAny(_groups[g]);
                _from[g] = from;
                _next[g] = at < 0 ? int.MaxValue : from + at;
            }
            best = Math.Min(best, _next[g]);
        }
        return best == int.MaxValue ? -1 : best;
    }
}
