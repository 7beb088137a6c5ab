using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Keyshift.Scanning.Rules;

/// <summary>
/// Finds keywords case-insensitively (as <see cref="StringComparison.OrdinalIgnoreCase"/>) in one pass over the text.
/// At each position a table of the keywords' first two characters (2 KB, case folded) is tested, then where it holds a
/// hashed table of their first three (8 KB); only where both hold are the few keywords starting there compared. On
/// code and config dense with keywords this costs about 3 ns a character, where several vectorised
/// <c>SearchValues</c> searches restarted after every hit cost several times more, and one <c>SearchValues</c> of all
/// keywords falls back to a scalar Aho-Corasick. The two-character table alone is not enough: pairs such as
/// <c>se</c>, <c>to</c>, <c>pa</c> start one position in ten. Immutable and thread-safe.
/// </summary>
internal sealed class KeywordIndex
{
    // Character classes: ASCII folded to lower case, 128 for any other character, 129 past the end of the text.
    private const int Other = 128;
    private const int End = 129;
    private const int Classes = 130;

    // Bit Hash(c0, c1, c2) is set when some keyword can start with the ASCII characters c0 c1 c2 (in any case).
    private readonly ulong[] _asciiTriples = new ulong[(1 << HashBits) / 64];

    // Bit (c0 << 7 | c1) is set when some keyword can start with the ASCII characters c0 c1 (in any case): tested
    // first, because it is cheaper than the hash and already rules out nine positions in ten.
    private readonly ulong[] _asciiPairs = new ulong[128 * 128 / 64];
    private const int HashBits = 16;
    private readonly Keyword[]?[] _byPair = new Keyword[]?[Classes * Classes];

    public KeywordIndex(IReadOnlyList<string> keywords)
    {
        Keywords = keywords;
        var byPair = new List<Keyword>?[Classes * Classes];
        for (var id = 0; id < keywords.Count; id++)
        {
            var keyword = keywords[id];
            if (keyword.Length == 0)
                throw new ArgumentException("a keyword cannot be empty", nameof(keywords));
            var first = ClassOf(keyword[0]);
            // A one-character keyword is followed by anything, including the end of the text.
            int[] seconds = keyword.Length > 1 ? [ClassOf(keyword[1])] : [.. Enumerable.Range(0, Classes)];
            foreach (var second in seconds)
                (byPair[first * Classes + second] ??= []).Add(new Keyword(keyword, id));
        }
        for (var pair = 0; pair < byPair.Length; pair++)
        {
            if (byPair[pair] is not { } list)
                continue;
            _byPair[pair] = [.. list];
            int first = pair / Classes, second = pair % Classes;
            foreach (var keyword in list)
            {
                // A short keyword is followed by any third character.
                IEnumerable<int> thirds = keyword.Text.Length > 2 ? AsciiOf(ClassOf(keyword.Text[2])) : Enumerable.Range(0, 128);
                foreach (var c0 in AsciiOf(first))
                {
                    foreach (var c1 in AsciiOf(second))
                    {
                        _asciiPairs[(c0 << 7 | c1) >> 6] |= 1UL << (c1 & 63);
                        foreach (var c2 in thirds)
                        {
                            var hash = Hash(c0, c1, c2);
                            _asciiTriples[hash >> 6] |= 1UL << (int)hash;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Folds case by setting bit 5 (which also merges a few punctuation pairs such as <c>[</c> and <c>{</c>; the
    /// table only has to hold a superset) and spreads the 21 bits over the table.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(int c0, int c1, int c2) => (uint)((c0 | 0x20) << 14 | (c1 | 0x20) << 7 | (c2 | 0x20)) * 0x9E3779B1u >> (32 - HashBits);

    /// <summary>The keywords, indexed by the ids <see cref="Next"/> reports.</summary>
    public IReadOnlyList<string> Keywords { get; }

    /// <summary>
    /// The first position at or after <paramref name="from"/> where a keyword lies wholly inside
    /// <c>text[..end]</c>, or -1; <paramref name="candidates"/> are the keywords that may start there (compare
    /// them with <see cref="StartsAt"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Next(ReadOnlySpan<char> text, int from, int end, out Keyword[] candidates)
    {
        ref var start = ref MemoryMarshal.GetReference(text);
        ref var triples = ref MemoryMarshal.GetArrayDataReference(_asciiTriples);
        ref var pairs = ref MemoryMarshal.GetArrayDataReference(_asciiPairs);
        var i = from;
        while ((i = Candidate(ref start, i, end - 2, ref pairs, ref triples)) < end - 2)
        {
            if (CandidatesAt(text, i, end) is { } found)
            {
                candidates = found;
                return i;
            }
            i++;
        }
        for (i = Math.Max(i, from); i < end; i++)
        {
            if (CandidatesAt(text, i, end) is { } found)
            {
                candidates = found;
                return i;
            }
        }
        candidates = [];
        return -1;
    }

    /// <summary>
    /// The first position in <c>[from, last)</c> whose three characters pass the table (or are not all ASCII), else
    /// <paramref name="last"/>. Kept free of calls so that the position stays in a register: with the check inlined into
    /// <see cref="Next"/> the JIT kept it on the stack and the loop ran three times slower.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Candidate(ref char text, int from, int last, ref ulong pairs, ref ulong triples)
    {
        for (var i = from; i < last; i++)
        {
            int c0 = Unsafe.Add(ref text, i), c1 = Unsafe.Add(ref text, i + 1);
            if ((c0 | c1) >= 128)
                return i;
            if ((Unsafe.Add(ref pairs, (c0 << 7 | c1) >> 6) & (1UL << c1)) == 0)
                continue;
            int c2 = Unsafe.Add(ref text, i + 2);
            if (c2 >= 128)
                return i;
            var hash = Hash(c0, c1, c2);
            if ((Unsafe.Add(ref triples, (int)(hash >> 6)) & (1UL << (int)hash)) != 0)
                return i;
        }
        return Math.Max(from, last);
    }

    /// <summary>The keywords that may start at <paramref name="at"/>, when one of them does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Keyword[]? CandidatesAt(ReadOnlySpan<char> text, int at, int end)
    {
        var second = at + 1 < end ? ClassOf(text[at + 1]) : End;
        return _byPair[ClassOf(text[at]) * Classes + second] is { } list && AnyStartsAt(list, text[at..end]) ? list : null;
    }

    /// <summary>Whether <paramref name="keyword"/> starts <paramref name="rest"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool StartsAt(Keyword keyword, ReadOnlySpan<char> rest) => rest.StartsWith(keyword.Text, StringComparison.OrdinalIgnoreCase);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AnyStartsAt(Keyword[] list, ReadOnlySpan<char> rest)
    {
        foreach (var keyword in list)
        {
            if (StartsAt(keyword, rest))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Case folding as OrdinalIgnoreCase sees it: characters equal under it have equal upper cases, so equal classes.
    /// Some non-ASCII characters fold to ASCII letters (the Kelvin sign, the long s) and get those letters' class.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ClassOf(char c)
    {
        if (c < 128)
            return char.IsAsciiLetterUpper(c) ? c | 0x20 : c;
        var upper = char.ToUpperInvariant(c);
        return upper < 128 ? char.ToLowerInvariant(upper) : Other;
    }

    /// <summary>The ASCII characters of a class (both cases of a letter); none for the non-ASCII and end classes.</summary>
    private static IEnumerable<int> AsciiOf(int cls) => cls switch
    {
        >= Other => [],
        _ when char.IsAsciiLetterLower((char)cls) => [cls, cls & ~0x20],
        _ => [cls],
    };

    /// <summary>A keyword and its position in <see cref="Keywords"/>.</summary>
    internal sealed record Keyword(string Text, int Id);
}
