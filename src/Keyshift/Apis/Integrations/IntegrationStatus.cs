using System.Globalization;
using Keyshift.State;

namespace Keyshift.Apis.Integrations;

/// <summary>An integration's readiness and legacy use, computed from the usage ledger rows.</summary>
public sealed record IntegrationStatus
{
    public required string Integration { get; init; }

    public required IntegrationMode Mode { get; init; }

    public required IReadOnlyList<ConsumerStatus> Consumers { get; init; }

    /// <summary>Upper bounds (ms) of the ledger's latency buckets; must match the gateway's.</summary>
    public static readonly double[] Bounds = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    public static IntegrationStatus From(IntegrationConfig integration, IEnumerable<UsageRecord> ledger)
    {
        var rows = ledger.Where(r => r.Integration == integration.Name).ToList();
        var names = integration.Consumers.Select(c => c.Name).Concat(rows.Select(r => r.Consumer)).Distinct(StringComparer.Ordinal).ToList();
        return new IntegrationStatus
        {
            Integration = integration.Name,
            Mode = integration.Mode,
            Consumers = names.Select(name => Consumer(name, rows.Where(r => r.Consumer == name).ToList())).ToList(),
        };
    }

    private static ConsumerStatus Consumer(string name, List<UsageRecord> rows)
    {
        var legacy = rows.Where(r => r.Target == "legacy").ToList();
        var @new = rows.Where(r => r.Target == "new").ToList();
        var shadow = rows.Where(r => r.Target == "shadow").ToList();
        long Sum(List<UsageRecord> list, Func<UsageRecord, long> f) => list.Sum(f);
        var legacyCount = Sum(legacy, r => r.Count);
        var newCount = Sum(@new, r => r.Count);
        var comparisons = Sum(shadow, r => r.Count);
        var differences = Sum(shadow, r => r.Differences);
        var paths = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in shadow)
        {
            foreach (var (path, n) in Counts(row.DiffPaths))
                paths[path] = paths.GetValueOrDefault(path) + n;
        }
        var tokenOk = @new.Concat(shadow).Where(r => r.AuthScheme == "oauth2").Sum(r => r.Count - r.Errors) > 0;
        var tokenFailed = paths.ContainsKey("token");
        return new ConsumerStatus
        {
            Consumer = name,
            LegacyRequests = legacyCount,
            NewRequests = newCount,
            ShiftedPercent = Percent(newCount, legacyCount + newCount),
            ShadowComparisons = comparisons,
            ShadowDifferences = differences,
            DiffRatePercent = Percent(differences, comparisons),
            DifferingPaths = paths,
            LegacyErrorRatePercent = Percent(Sum(legacy, r => r.Errors), legacyCount),
            NewErrorRatePercent = Percent(Sum(@new, r => r.Errors), newCount),
            TokenExchangeWorks = tokenOk ? true : tokenFailed ? false : null,
            LegacyP50Ms = Quantile(legacy, 0.50),
            LegacyP99Ms = Quantile(legacy, 0.99),
            NewP50Ms = Quantile(@new.Count > 0 ? @new : shadow, 0.50),
            NewP99Ms = Quantile(@new.Count > 0 ? @new : shadow, 0.99),
            LastLegacyUse = legacy.Count == 0 ? null : legacy.Max(r => r.LastSeen),
            LastLegacyKeyUse = legacy.Concat(@new).Where(r => r.CredentialFingerprint.Length > 0).Select(r => (DateTimeOffset?)r.LastSeen).Max(),
            LegacyCredentials = legacy.Select(r => r.CredentialFingerprint.Length > 12 ? r.CredentialFingerprint[..12] : r.CredentialFingerprint).Distinct().Order(StringComparer.Ordinal).ToList(),
        };
    }

    private static double Percent(long part, long whole) => whole == 0 ? 0 : Math.Round(100.0 * part / whole, 2);

    /// <summary>The upper bound of the histogram bucket holding the quantile (the ledger keeps buckets, not samples).</summary>
    private static double? Quantile(List<UsageRecord> rows, double q)
    {
        var buckets = new long[Bounds.Length + 1];
        foreach (var row in rows)
        {
            foreach (var (bucket, n) in Counts(row.LatencyBuckets))
            {
                if (int.TryParse(bucket, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < buckets.Length)
                    buckets[i] += n;
            }
        }
        var total = buckets.Sum();
        if (total == 0)
            return null;
        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            seen += buckets[i];
            if (seen >= rank)
                return Bounds[Math.Min(i, Bounds.Length - 1)];
        }
        return null;
    }

    private static IEnumerable<(string Key, long Count)> Counts(string text)
    {
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var i = pair.LastIndexOf('=');
            if (i > 0 && long.TryParse(pair.AsSpan(i + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                yield return (pair[..i], n);
        }
    }
}
