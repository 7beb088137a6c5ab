using Keyshift.Apis.Integrations;

namespace Keyshift.Gateway;

/// <summary>
/// Watches shift mode over sliding windows: the answers from new (error rate) and, when <c>rollback.diffRate</c> is set,
/// the shadow comparisons of the requests still answered by legacy (diff rate). When either share crosses its threshold
/// it trips once, and the integration falls back to legacy (persisted, so a restart does not undo it).
/// </summary>
internal sealed class ShiftGuard(ShiftRollback rule)
{
    private readonly ShiftWindow _errors = new(rule.Window);
    private readonly ShiftWindow _diffs = new(rule.Window);
    private readonly Lock _lock = new();
    private volatile bool _rolledBack;

    public bool RolledBack => _rolledBack;

    /// <summary>True when shift mode mirrors its legacy share to new to judge the diff rate.</summary>
    public bool JudgesDiffs => rule.DiffRate is not null;

    /// <summary>Falls back to legacy without a new trip (a rollback recorded before a restart).</summary>
    public void Restore() => _rolledBack = true;

    /// <summary>Records one answer from new; returns the trip when this answer tripped the rollback.</summary>
    public ShiftTrip? Record(bool failed)
    {
        lock (_lock)
        {
            _errors.Add(failed);
            return _errors.Crosses(rule.MinRequests, rule.ErrorRate) ? Trip("errorRate", _errors, rule.ErrorRate) : null;
        }
    }

    /// <summary>Records one shadow comparison in shift mode; returns the trip when it tripped the rollback.</summary>
    public ShiftTrip? RecordComparison(bool differed)
    {
        if (rule.DiffRate is not { } threshold)
            return null;
        lock (_lock)
        {
            _diffs.Add(differed);
            return _diffs.Crosses(rule.MinRequests, threshold) ? Trip("diffRate", _diffs, threshold) : null;
        }
    }

    private ShiftTrip? Trip(string name, ShiftWindow window, int threshold)
    {
        if (_rolledBack)
            return null;
        _rolledBack = true;
        return new ShiftTrip(name, window.Hits, window.Count, threshold);
    }

    /// <summary>The share of this request's stream sent to new: FNV-1a of the idempotency key or request id, so a retry goes the same way.</summary>
    public static int Bucket(string routingKey)
    {
        var hash = 2166136261u;
        foreach (var c in routingKey)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return (int)(hash % 100);
    }
}
