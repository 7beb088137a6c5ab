namespace Keyshift.Apis.Integrations;

/// <summary>When shift mode falls back to legacy by itself: the error rate of new, or the shadow diff rate, over a window of requests.</summary>
public sealed record ShiftRollback
{
    /// <summary>How many of the latest requests sent to new are judged.</summary>
    public int Window { get; init; } = 100;

    /// <summary>Fewest requests in the window before a judgement is made.</summary>
    public int MinRequests { get; init; } = 20;

    /// <summary>Share (percent) of failed answers from new (5xx or no answer) that triggers the rollback.</summary>
    public int ErrorRate { get; init; } = 5;

    /// <summary>
    /// Share (percent) of shadow comparisons that differ (after learned noise) that triggers the rollback. When set, shift
    /// mode mirrors the requests it still sends to legacy to new and compares the answers, as shadow mode does; unset
    /// (the default), shift mode mirrors nothing, because a deliberate contract change would make every answer differ.
    /// </summary>
    public int? DiffRate { get; init; }
}
