namespace Keyshift.Audit;

/// <summary>
/// The audit log cannot be written or cannot be trusted (read-only, disk full, locked, truncated, edited).
/// The caller must not perform the mutating step it was about to record: Keyshift fails closed.
/// </summary>
public sealed class AuditUnavailableException : Exception
{
    public AuditUnavailableException(string message)
        : base(message)
    {
    }

    public AuditUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
