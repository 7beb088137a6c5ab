namespace Keyshift.Audit;

/// <summary>What is wrong with the audit log at a line.</summary>
public enum AuditProblemKind
{
    /// <summary>The line is not JSON.</summary>
    Malformed,

    /// <summary>The line is JSON but not an audit entry (blank line, unknown or missing properties).</summary>
    UnknownLine,

    /// <summary>The entry's MAC does not match its content, or it is not in canonical form: it was edited.</summary>
    Edited,

    /// <summary>Entries are missing between two lines: lines were deleted.</summary>
    Deleted,

    /// <summary>An entry appears before one it should follow, or twice: lines were reordered or duplicated.</summary>
    Reordered,

    /// <summary>The last line has no newline: a write was interrupted.</summary>
    IncompleteLine,

    /// <summary>state.db or a checkpoint records more entries than the log holds: its tail was cut off.</summary>
    Truncated,

    /// <summary>The entry at the count recorded in state.db or a checkpoint has another MAC: the log was rewritten.</summary>
    Rewritten,
}
