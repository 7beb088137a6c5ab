namespace Keyshift.Audit;

/// <summary>How an <see cref="AuditLog"/> appends.</summary>
public sealed record AuditLogOptions
{
    /// <summary>The actor of records that name none; null means the OS user (<see cref="Environment.UserName"/>).</summary>
    public string? Actor { get; init; }

    /// <summary>How long an append waits for another process to release the lock before failing closed.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
