using System.Collections.Concurrent;
using Keyshift.State;

namespace Keyshift.Gateway;

/// <summary>
/// The usage ledger in memory: counts per <see cref="UsageKey"/> since the last flush, added to the
/// <c>usage_ledger</c> table of the state database by <see cref="Flush"/> (periodically and on shutdown).
/// </summary>
internal sealed class UsageLedger(TimeProvider time)
{
    private readonly ConcurrentDictionary<UsageKey, UsageCounter> _counters = new();

    // A connection's requests mostly count in the same row: the last one each thread used is tried before the dictionary.
    // (One for answers, one for shadow comparisons, which alternate with them.)
    [ThreadStatic]
    private static (UsageLedger? Ledger, UsageKey Key, UsageCounter? Counter) _last;

    [ThreadStatic]
    private static (UsageLedger? Ledger, UsageKey Key, UsageCounter? Counter) _lastComparison;

    public void Record(UsageKey key, int status, bool error, TimeSpan latency)
    {
        var counter = Counter(key, ref _last);
        lock (counter)
            counter.Record(status, error, latency.TotalMilliseconds, time.GetUtcNow());
    }

    private UsageCounter Counter(UsageKey key, ref (UsageLedger? Ledger, UsageKey Key, UsageCounter? Counter) last)
    {
        if (ReferenceEquals(last.Ledger, this) && last.Key == key)
            return last.Counter!;
        var counter = _counters.GetOrAdd(key, _ => new UsageCounter());
        last = (this, key, counter);
        return counter;
    }

    /// <summary>Records one shadow comparison: the differing JSON paths (never values), or none when the answers matched.</summary>
    public void RecordComparison(UsageKey key, IReadOnlyCollection<string> differences, int newStatus, bool error, TimeSpan newLatency)
    {
        var counter = Counter(key, ref _lastComparison);
        lock (counter)
        {
            counter.Record(newStatus, error, newLatency.TotalMilliseconds, time.GetUtcNow());
            if (differences.Count > 0)
                counter.Differences++;
            foreach (var path in differences)
                counter.DiffPaths[path] = counter.DiffPaths.GetValueOrDefault(path) + 1;
        }
    }

    /// <summary>Adds everything counted since the last flush to the state database in one transaction; on failure the counts stay for the next flush.</summary>
    public int Flush(StateDb db)
    {
        var taken = new List<(UsageKey Key, UsageCounter Counts)>();
        foreach (var (key, counter) in _counters)
        {
            lock (counter)
            {
                if (counter.IsEmpty)
                    continue;
                var copy = new UsageCounter
                {
                    Count = counter.Count, Errors = counter.Errors, Differences = counter.Differences,
                    LatencyTotalMs = counter.LatencyTotalMs, LatencyMaxMs = counter.LatencyMaxMs,
                    FirstSeen = counter.FirstSeen, LastSeen = counter.LastSeen,
                };
                Array.Copy(counter.Buckets, copy.Buckets, copy.Buckets.Length);
                foreach (var (s, n) in counter.Status)
                    copy.Status[s] = n;
                foreach (var (p, n) in counter.DiffPaths)
                    copy.DiffPaths[p] = n;
                Reset(counter);
                taken.Add((key, copy));
            }
        }
        if (taken.Count == 0)
            return 0;
        try
        {
            Write(db, taken);
        }
        catch
        {
            foreach (var (key, counts) in taken)
                Merge(_counters.GetOrAdd(key, _ => new UsageCounter()), counts);
            throw;
        }
        return taken.Count;
    }

    private static void Write(StateDb db, List<(UsageKey Key, UsageCounter Counts)> taken)
    {
        var integrations = taken.Select(t => t.Key.Integration).Distinct().ToList();
        using var transaction = db.Database.BeginTransaction();
        var rows = db.Usage.Where(u => integrations.Contains(u.Integration)).ToList()
            .ToDictionary(u => new UsageKey(u.Integration, u.Consumer, u.CredentialFingerprint, u.Endpoint, u.AuthScheme, u.Target));
        foreach (var (key, counts) in taken)
        {
            if (!rows.TryGetValue(key, out var row))
            {
                row = new UsageRecord
                {
                    Integration = key.Integration, Consumer = key.Consumer, CredentialFingerprint = key.Fingerprint,
                    Endpoint = key.Endpoint, AuthScheme = key.AuthScheme, Target = key.Target, FirstSeen = counts.FirstSeen,
                };
                db.Usage.Add(row);
                rows[key] = row;
            }
            row.Count += counts.Count;
            row.Errors += counts.Errors;
            row.Differences += counts.Differences;
            row.LatencyTotalMs += counts.LatencyTotalMs;
            row.LatencyMaxMs = Math.Max(row.LatencyMaxMs, counts.LatencyMaxMs);
            row.LastSeen = counts.LastSeen > row.LastSeen ? counts.LastSeen : row.LastSeen;
            row.StatusCodes = Merged(row.StatusCodes, counts.Status.Select(s => KeyValuePair.Create(s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Value)));
            row.DiffPaths = Merged(row.DiffPaths, counts.DiffPaths);
            var buckets = UsageCounter.ParseCounts(row.LatencyBuckets);
            for (var i = 0; i < counts.Buckets.Length; i++)
            {
                if (counts.Buckets[i] > 0)
                    buckets[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = buckets.GetValueOrDefault(i.ToString(System.Globalization.CultureInfo.InvariantCulture)) + counts.Buckets[i];
            }
            row.LatencyBuckets = UsageCounter.FormatCounts(buckets.OrderBy(b => int.Parse(b.Key, System.Globalization.CultureInfo.InvariantCulture)));
        }
        db.SaveChanges();
        transaction.Commit();
        db.ChangeTracker.Clear();
    }

    private static string Merged(string existing, IEnumerable<KeyValuePair<string, long>> more)
    {
        var counts = UsageCounter.ParseCounts(existing);
        foreach (var (k, n) in more)
            counts[k] = counts.GetValueOrDefault(k) + n;
        return UsageCounter.FormatCounts(counts.OrderBy(c => c.Key, StringComparer.Ordinal));
    }

    private static void Reset(UsageCounter counter)
    {
        counter.Count = counter.Errors = counter.Differences = 0;
        counter.LatencyTotalMs = counter.LatencyMaxMs = 0;
        Array.Clear(counter.Buckets);
        counter.Status.Clear();
        counter.DiffPaths.Clear();
    }

    private static void Merge(UsageCounter into, UsageCounter from)
    {
        lock (into)
        {
            if (into.IsEmpty)
                into.FirstSeen = from.FirstSeen;
            into.Count += from.Count;
            into.Errors += from.Errors;
            into.Differences += from.Differences;
            into.LatencyTotalMs += from.LatencyTotalMs;
            into.LatencyMaxMs = Math.Max(into.LatencyMaxMs, from.LatencyMaxMs);
            into.LastSeen = from.LastSeen > into.LastSeen ? from.LastSeen : into.LastSeen;
            for (var i = 0; i < into.Buckets.Length; i++)
                into.Buckets[i] += from.Buckets[i];
            foreach (var (s, n) in from.Status)
                into.Status[s] = into.Status.GetValueOrDefault(s) + n;
            foreach (var (p, n) in from.DiffPaths)
                into.DiffPaths[p] = into.DiffPaths.GetValueOrDefault(p) + n;
        }
    }
}
