using System.Globalization;

namespace Keyshift.Gateway;

/// <summary>Counts for one ledger row since the last flush; guarded by its own lock.</summary>
internal sealed class UsageCounter
{
    /// <summary>Upper bounds (milliseconds) of the latency buckets; the last bucket is everything above.</summary>
    public static readonly double[] Bounds = Keyshift.Apis.Integrations.IntegrationStatus.Bounds;

    public long Count;
    public long Errors;
    public long Differences;
    public double LatencyTotalMs;
    public double LatencyMaxMs;
    public readonly long[] Buckets = new long[Bounds.Length + 1];
    public readonly Dictionary<int, long> Status = [];
    public readonly Dictionary<string, long> DiffPaths = new(StringComparer.Ordinal);
    public DateTimeOffset FirstSeen;
    public DateTimeOffset LastSeen;

    public bool IsEmpty => Count == 0 && Differences == 0;

    public void Record(int status, bool error, double latencyMs, DateTimeOffset now)
    {
        if (Count == 0 && Differences == 0)
            FirstSeen = now;
        Count++;
        LastSeen = now;
        if (error)
            Errors++;
        if (status > 0)
            Status[status] = Status.GetValueOrDefault(status) + 1;
        if (latencyMs >= 0)
        {
            LatencyTotalMs += latencyMs;
            LatencyMaxMs = Math.Max(LatencyMaxMs, latencyMs);
            Buckets[Bucket(latencyMs)]++;
        }
    }

    public static int Bucket(double latencyMs)
    {
        var i = Array.BinarySearch(Bounds, latencyMs);
        return i >= 0 ? i : ~i;
    }

    public static string FormatCounts<TKey>(IEnumerable<KeyValuePair<TKey, long>> counts) where TKey : notnull =>
        string.Join(',', counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}={c.Value}")));

    public static Dictionary<string, long> ParseCounts(string text)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var i = pair.LastIndexOf('=');
            if (i > 0 && long.TryParse(pair.AsSpan(i + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                result[pair[..i]] = result.GetValueOrDefault(pair[..i]) + n;
        }
        return result;
    }
}
