using Keyshift.Configuration;
using Keyshift.Issuers;
using Keyshift.State;
using Keyshift.Telemetry;

namespace Keyshift.Execution;

/// <summary>
/// Usage evidence in the state database: telemetry batches persisted (observations, coverage, cursor) by
/// <c>keyshift watch</c> and by retire's own round, and the quiet-window gate computed from them.
/// </summary>
public static class UsageEvidence
{
    /// <summary>The telemetry sources of every issuer a credential move uses.</summary>
    public static IReadOnlyList<TelemetrySource> Sources(KeyshiftConfig config, TimeProvider time) =>
        config.Moves.Where(m => m.Issuer is not null).Select(m => m.Issuer!).Distinct(StringComparer.Ordinal)
            .Where(config.Issuers.ContainsKey)
            .SelectMany(name => config.Issuers[name].TelemetrySources(time)).ToList();

    /// <summary>One round over <paramref name="sources"/> from their persisted cursors; each batch is persisted before the next source runs.</summary>
    public static async Task<int> SampleOnceAsync(Migration migration, IReadOnlyList<TelemetrySource> sources, TimeSpan? interval,
        Action<TelemetrySource, TelemetryException>? failed, CancellationToken cancellationToken)
    {
        migration.Persist();
        var cursors = migration.Db.TelemetryCursors.ToDictionary(c => c.Source, StringComparer.Ordinal);
        var sampler = new Sampler(sources, interval ?? TimeSpan.Zero, migration.Time);
        var batches = await sampler.SampleOnceAsync(s => cursors.GetValueOrDefault(s.Name)?.Cursor, failed, cancellationToken);
        foreach (var batch in batches)
        {
            var source = sources.First(s => s.Name == batch.Source);
            var known = cursors.GetValueOrDefault(batch.Source);
            Record(migration, batch, source.IsSampled ? interval ?? known?.Interval ?? TimeSpan.Zero : TimeSpan.Zero);
        }
        return batches.Count;
    }

    /// <summary>Persists one batch (observations, the span it covers, its cursor) in one transaction.</summary>
    public static void Record(Migration migration, TelemetryBatch batch, TimeSpan interval)
    {
        var db = migration.Db;
        using var transaction = db.Database.BeginTransaction();
        foreach (var o in batch.Observations)
            db.Observations.Add(new ObservationRecord { Source = batch.Source, Username = o.Username, Time = o.Time, Count = o.Count, Detail = o.Detail });
        db.Coverage.Add(new CoverageRecord { Source = batch.Source, From = batch.Coverage.From, To = batch.Coverage.To, MaxGap = interval });
        var cursor = db.TelemetryCursors.Find(batch.Source);
        if (cursor is null)
            db.TelemetryCursors.Add(cursor = new TelemetryCursor { Source = batch.Source });
        cursor.Cursor = batch.Cursor;
        if (interval > TimeSpan.Zero)
            cursor.Interval = interval;
        cursor.UpdatedAt = migration.Time.GetUtcNow();
        db.SaveChanges();
        transaction.Commit();
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// The quiet-window gate of a credential move: no observation of the old login inside [now - window, now] from any
    /// of the issuer's sources, and at least one source whose evidence covers the whole window. Take <paramref name="now"/>
    /// before a sampling round, so that round's evidence (stamped a little later) covers the window's end.
    /// </summary>
    public static Gate QuietWindow(Migration migration, Issuer issuer, string oldUsername, string? newUsername, TimeSpan window, DateTimeOffset now, DateTimeOffset? issuedAt = null)
    {
        var sources = issuer.TelemetrySources(migration.Time).Select(s => s.Name).ToList();
        if (sources.Count == 0)
            return new Gate("quietWindow", true, "no usage evidence: this move has no telemetry source, so the quiet window does not apply");
        var from = now - window;
        var db = migration.Db;
        // Redis ACL users hold old and new passwords under one login: telemetry by login cannot tell them apart, except
        // that a connection opened before the new password was issued can only be using an old one.
        if (string.Equals(oldUsername, newUsername, StringComparison.Ordinal))
        {
            if (issuedAt is { } issued)
            {
                var seen = db.Observations.Where(o => sources.Contains(o.Source) && o.Username == oldUsername && o.Time >= from && o.Detail != null && o.Detail.Contains(" opened="))
                    .OrderByDescending(o => o.Time).ToList();
                var before = seen.FirstOrDefault(o => Opened(o.Detail!) is { } opened && opened < issued);
                if (before is not null)
                    return new Gate("quietWindow", false, $"a connection of `{oldUsername}` opened at {Opened(before.Detail!):u}, before the new password was issued at {issued:u}, was still open at {before.Time:u} ({before.Source}: {before.Detail}): it can only be using the old password");
            }
            return new Gate("quietWindow", true, $"no usage evidence: old and new credentials share the login `{oldUsername}`, so telemetry cannot tell them apart (no connection opened before the new password was seen since {from:u}); the quiet window does not apply");
        }
        // No upper bound: a sample taken after `now` (retire's own round) is the freshest evidence there is.
        var last = db.Observations.Where(o => sources.Contains(o.Source) && o.Username == oldUsername && o.Time >= from)
            .OrderByDescending(o => o.Time).FirstOrDefault();
        if (last is not null)
            return new Gate("quietWindow", false, $"old credential `{oldUsername}` used at {last.Time:u} from {last.Source}{(last.Detail is { } d ? $" ({d})" : "")}; the quiet window of {DurationText.Format(window)} starts again after its last use");
        if (window <= TimeSpan.Zero)
            return new Gate("quietWindow", true, $"quiet window is {DurationText.Format(window)}; no use of old credential `{oldUsername}` seen since {from:u}");
        var covered = new List<string>();
        foreach (var source in sources)
        {
            var pieces = db.Coverage.Where(c => c.Source == source && c.To >= from - TimeSpan.FromDays(1)).ToList();
            if (pieces.Count == 0)
                continue;
            var gap = pieces.Max(p => p.MaxGap);
            if (Coverage.Covers(pieces.Select(p => new Coverage(p.From, p.To)), from, now, gap))
                covered.Add(source);
        }
        return covered.Count > 0
            ? new Gate("quietWindow", true, $"no use of old credential `{oldUsername}` since {from:u}; covered by {string.Join(", ", covered)}")
            : new Gate("quietWindow", false, $"no coverage: no evidence from {string.Join(", ", sources)} covers the quiet window since {from:u} (run keyshift watch -c FILE)");
    }

    private static DateTimeOffset? Opened(string detail)
    {
        var at = detail.IndexOf(" opened=", StringComparison.Ordinal);
        return at >= 0 && DateTimeOffset.TryParse(detail[(at + 8)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var opened) ? opened : null;
    }

    /// <summary>The detail of an issued credential's descriptor naming the login it replaces (recorded at stage).</summary>
    public const string Replaces = "replaces";

    /// <summary>The login a staged credential replaces: recorded at stage (a second rotation replaces the login issued before), else the account.</summary>
    public static string OldUsername(MoveRecord? record, string account) =>
        record?.NewDescriptor is { } json && CredentialDescriptor.FromJson(json).Detail(Replaces) is { } old ? old : account;

    /// <summary>The last observation of <paramref name="username"/> by any of <paramref name="sources"/>, or null.</summary>
    public static ObservationRecord? LastSeen(Migration migration, IReadOnlyCollection<string> sources, string username) =>
        migration.Db.Observations.Where(o => sources.Contains(o.Source) && o.Username == username).OrderByDescending(o => o.Time).FirstOrDefault();
}
