using Keyshift.Apis.Integrations;

namespace Keyshift.Gateway;

/// <summary>
/// Watches the answers from new in shift mode over a sliding window of requests; when the share of failures
/// crosses the threshold it trips once, and the integration falls back to legacy until the gateway restarts.
/// </summary>
internal sealed class ShiftGuard(ShiftRollback rule)
{
    private readonly bool[] _window = new bool[rule.Window];
    private readonly Lock _lock = new();
    private int _next;
    private int _count;
    private int _failures;
    private volatile bool _rolledBack;

    public bool RolledBack => _rolledBack;

    /// <summary>Records one answer from new; returns the window's figures when this answer tripped the rollback.</summary>
    public (int Failed, int Total)? Record(bool failed)
    {
        lock (_lock)
        {
            if (_count == _window.Length && _window[_next])
                _failures--;
            _window[_next] = failed;
            if (failed)
                _failures++;
            _next = (_next + 1) % _window.Length;
            _count = Math.Min(_count + 1, _window.Length);
            if (_rolledBack || _count < rule.MinRequests || _failures == 0 || _failures * 100 < rule.ErrorRate * _count)
                return null;
            _rolledBack = true;
            return (_failures, _count);
        }
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
