namespace Keyshift.Scanning;

/// <summary>Shannon entropy in bits per character: random keys score 4–6, words and placeholders less.</summary>
internal static class Entropy
{
    public static double Of(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
            return 0;
        Span<int> counts = stackalloc int[128];
        counts.Clear();
        var other = 0;
        foreach (var c in text)
        {
            if (c < 128) counts[c]++;
            else other++;
        }
        double entropy = 0;
        double length = text.Length;
        foreach (var n in counts)
            entropy -= Term(n, length);
        return entropy - Term(other, length);
    }

    private static double Term(int n, double length)
    {
        if (n == 0)
            return 0;
        var p = n / length;
        return p * Math.Log2(p);
    }
}
