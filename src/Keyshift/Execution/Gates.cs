using Keyshift.Configuration;
using Keyshift.State;

namespace Keyshift.Execution;

/// <summary>
/// The gates before retirement (DESIGN.md): verified, dual-run window elapsed, approvals, quiet window.
/// Nothing is retired on a timer alone: every gate must hold, and each says why it does or does not.
/// </summary>
public static class Gates
{
    public static IReadOnlyList<Gate> ForRetire(MoveRecord record, CutoverConfig cutover, DateTimeOffset now, int approvals, bool targetHoldsWrittenValue, Gate? quietWindow = null, Gate? probe = null)
    {
        var gates = new List<Gate>(4)
        {
            record.State is MoveState.DualRun && targetHoldsWrittenValue
                ? new Gate("verified", true, $"target holds fingerprint {Short(record.WrittenFingerprint)}")
                : new Gate("verified", false, record.State is MoveState.DualRun
                    ? "the target no longer holds the value Keyshift verified (run keyshift drift)"
                    : $"the move is {record.State}, not in dual-run"),
        };
        if (record.CutoverAt is { } cutoverAt)
        {
            var until = cutoverAt + cutover.DualRun;
            gates.Add(now >= until
                ? new Gate("dualRun", true, $"dual-run of {DurationText.Format(cutover.DualRun)} ended at {until:u}")
                : new Gate("dualRun", false, $"dual-run of {DurationText.Format(cutover.DualRun)} ends at {until:u} ({Remaining(until - now)} left)"));
        }
        else
        {
            gates.Add(new Gate("dualRun", false, "not cut over yet"));
        }
        gates.Add(approvals >= cutover.Approvals
            ? new Gate("approvals", true, $"{approvals} of {cutover.Approvals} required")
            : new Gate("approvals", false, $"{approvals} of {cutover.Approvals} required (keyshift approve --move ID --by NAME)"));
        gates.Add(quietWindow ?? new Gate("quietWindow", true, "no usage evidence: this move has no telemetry source, so the quiet window does not apply"));
        if (probe is not null)
            gates.Add(probe);
        return gates;
    }

    /// <summary>
    /// Credential replacement: retirement must end with a negative probe (the old credential refused by the server),
    /// so a move without probes is held unless its config opts out in so many words.
    /// </summary>
    public static Gate Probe(MoveConfig move) => move.Checks.Count > 0
        ? new Gate("probe", true, $"{move.Checks.Count} probe(s) will show the old credential refused after revocation")
        : move.RetiresWithoutProbe
            ? new Gate("probe", true, "no probe, by the config's choice (probes: [] or requireProbe: false): the old credential's refusal will not be checked")
            : new Gate("probe", false, "no probe configured, so nothing would prove the old credential refused after revocation; add probes, or write probes: [] (or requireProbe: false) to retire without that proof");

    private static string Short(string? fingerprint) => fingerprint is null ? "none" : fingerprint[..Math.Min(12, fingerprint.Length)];

    private static string Remaining(TimeSpan left) =>
        left.TotalHours >= 1 ? $"{(int)left.TotalHours}h{left.Minutes:D2}m" : left.TotalMinutes >= 1 ? $"{(int)left.TotalMinutes}m{left.Seconds:D2}s" : $"{Math.Ceiling(left.TotalSeconds)}s";
}
