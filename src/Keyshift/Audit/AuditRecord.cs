namespace Keyshift.Audit;

/// <summary>
/// What a caller asks to record: who did what to which move, at which step, with what result and evidence.
/// The log adds the sequence number, the time and the MAC. Every field is text Keyshift composes (ids,
/// step names, states); evidence is an <see cref="AuditEvidence"/>, which cannot hold a secret value.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>What happened: <c>stage</c>, <c>verify</c>, <c>cutover</c>, <c>retire</c>, <c>approve</c>, <c>gateway.shift</c> …</summary>
    public required string Action { get; init; }

    /// <summary><c>intent</c> before a mutating step, then <c>ok</c>, <c>failed</c>, <c>refused</c> … after it.</summary>
    public required string Result { get; init; }

    /// <summary>The move id (its source address), or empty for entries about no single move.</summary>
    public string Move { get; init; } = "";

    /// <summary>The step of the move the entry belongs to, or empty.</summary>
    public string Step { get; init; } = "";

    /// <summary>Who: null for the log's default actor (the OS user), or <c>gateway</c>, <c>approver:NAME</c> ….</summary>
    public string? Actor { get; init; }

    public AuditEvidence Evidence { get; init; } = AuditEvidence.None;
}
