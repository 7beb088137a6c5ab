namespace Keyshift.Audit;

/// <summary>One problem found by <see cref="AuditVerifier"/>: the 1-based line of audit.jsonl, the entry's sequence number when known, and why.</summary>
public sealed record AuditProblem(long Line, long? Seq, AuditProblemKind Kind, string Message)
{
    public override string ToString() => $"line {Line}: {Message}";
}
