using Keyshift.Configuration;
using Keyshift.State;
using Keyshift.Telemetry;

namespace Keyshift.Execution;

/// <summary>
/// The gateway's usage ledger as a telemetry source: the quiet-window gate of a legacy API key's retirement. Use is
/// any ledger row of the key's fingerprint (to legacy or translated to new) seen inside the window; coverage is what
/// the gateway recorded at each ledger flush (it counted every request from its start up to the flush).
/// </summary>
public static class UsageLedgerGate
{
    /// <summary>The coverage source name the gateway records for <paramref name="integration"/>.</summary>
    public static string SourceName(string integration) => $"gateway/{integration}";

    public static Gate QuietWindow(Migration migration, string integration, string consumer, string fingerprint, TimeSpan window, DateTimeOffset now)
    {
        var db = migration.Db;
        UsageRecord.EnsureTable(db);
        var from = now - window;
        var key = $"legacy key of consumer '{consumer}' (fingerprint {fingerprint[..Math.Min(12, fingerprint.Length)]})";
        // Shadow rows carry no credential; every other row is a request that presented this key to the gateway.
        var rows = db.Usage.Where(u => u.Integration == integration && u.CredentialFingerprint == fingerprint && u.Target != "shadow").ToList();
        var recent = rows.Where(r => r.LastSeen >= from).OrderByDescending(r => r.LastSeen).ToList();
        if (recent.Count > 0)
        {
            var last = recent[0];
            var byEndpoint = recent.GroupBy(r => $"{r.Endpoint} (to {r.Target})", StringComparer.Ordinal)
                .Select(g => (Name: g.Key, Count: g.Sum(r => r.Count), Last: g.Max(r => r.LastSeen))).OrderByDescending(e => e.Last).ToList();
            var endpoints = string.Join(", ", byEndpoint.Take(3).Select(e => $"{e.Name} {e.Count}×"));
            if (byEndpoint.Count > 3)
                endpoints += $" and {byEndpoint.Count - 3} more";
            return new Gate("quietWindow", false,
                $"{key} still in use: usage ledger counts {recent.Sum(r => r.Count)} requests, last seen {last.LastSeen:u} at {last.Endpoint} ({last.AuthScheme}, to {last.Target}); " +
                $"by endpoint: {endpoints}; the quiet window of {DurationText.Format(window)} starts again after its last use");
        }
        var history = rows.Count == 0 ? "never seen by the gateway" : $"last seen {rows.Max(r => r.LastSeen):u}, {rows.Sum(r => r.Count)} requests in all";
        if (window <= TimeSpan.Zero)
            return new Gate("quietWindow", true, $"quiet window is {DurationText.Format(window)}; {key} {history}");
        var source = SourceName(integration);
        var pieces = db.Coverage.Where(c => c.Source == source && c.To >= from - TimeSpan.FromDays(1)).ToList();
        // Each run covers from its start to its last flush, plus (while it runs) one flush interval of unflushed tail.
        if (pieces.Count > 0 && Coverage.Covers(pieces.Select(p => new Coverage(p.From, p.To + p.MaxGap)), from, now, TimeSpan.Zero))
            return new Gate("quietWindow", true, $"no use of the {key} since {from:u} ({history}); covered by {source} (ledger flushed at {pieces.Max(p => p.To):u})");
        return new Gate("quietWindow", false,
            $"no coverage: the gateway's usage ledger for integration '{integration}' does not cover the quiet window since {from:u} ({history}); `keyshift gateway -c FILE` must run through the whole window");
    }
}
