namespace Keyshift.Scanning;

/// <summary>The printable form of a secret: at most four characters of a known public prefix, then its length.</summary>
internal static class Mask
{
    public static string Of(string value, IReadOnlyList<string> publicPrefixes)
    {
        foreach (var prefix in publicPrefixes)
        {
            if (value.Length > prefix.Length && value.StartsWith(prefix, StringComparison.Ordinal))
                return $"{prefix[..Math.Min(4, prefix.Length)]}…({value.Length})";
        }
        return $"…({value.Length})";
    }
}
