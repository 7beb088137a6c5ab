namespace Keyshift.Audit;

/// <summary>One line of <c>audit.jsonl</c> as read back: the recorded fields plus the sequence number and MAC.</summary>
public sealed class AuditEntry
{
    internal AuditEntry(long seq, DateTimeOffset time, string actor, string action, string move, string step, string result, AuditEvidence evidence, string mac)
    {
        Seq = seq;
        Time = time;
        Actor = actor;
        Action = action;
        Move = move;
        Step = step;
        Result = result;
        Evidence = evidence;
        Mac = mac;
    }

    /// <summary>1 for the first entry, one more for each next one; in an intact log it is the line number.</summary>
    public long Seq { get; }

    public DateTimeOffset Time { get; }

    public string Actor { get; }

    public string Action { get; }

    public string Move { get; }

    public string Step { get; }

    public string Result { get; }

    public AuditEvidence Evidence { get; }

    /// <summary>HMAC-SHA256 (lower-case hex) of the previous entry's MAC followed by this entry's canonical form.</summary>
    public string Mac { get; }
}
