namespace Keyshift.State;

/// <summary>
/// The state of one move, keyed by its source address. Holds fingerprints, never values. A step records
/// its intent (<see cref="PendingStep"/>) before it touches a store and its result after, so a re-run
/// after a crash finishes or repeats the step without losing or duplicating anything.
/// </summary>
public sealed class MoveRecord
{
    public required string Id { get; set; }

    /// <summary>The <c>from</c> of the config entry that produced this move (a pattern or the address itself).</summary>
    public required string Origin { get; set; }

    public required string Target { get; set; }

    public MoveState State { get; set; }

    /// <summary>The step under way (<c>stage</c>, <c>retire</c>, <c>rollback</c>) when a crash may have cut it short.</summary>
    public string? PendingStep { get; set; }

    /// <summary>The fingerprint the pending stage is writing.</summary>
    public string? IntentFingerprint { get; set; }

    /// <summary>The source's fingerprint when it was last staged.</summary>
    public string? SourceFingerprint { get; set; }

    /// <summary>What Keyshift last wrote to the target.</summary>
    public string? WrittenFingerprint { get; set; }

    public TargetBefore TargetBefore { get; set; }

    /// <summary>Fingerprint of the target's value before Keyshift first wrote it (escrowed).</summary>
    public string? PreviousTargetFingerprint { get; set; }

    public string? Owner { get; set; }

    public string? Rotation { get; set; }

    /// <summary>Tags as canonical JSON.</summary>
    public string? Tags { get; set; }

    public DateTimeOffset? StagedAt { get; set; }

    public DateTimeOffset? VerifiedAt { get; set; }

    public DateTimeOffset? CutoverAt { get; set; }

    public DateTimeOffset? RetiredAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? FailedStep { get; set; }

    public string? FailedReason { get; set; }

    /// <summary>Credential replacement: the descriptor of the credential the pending stage issues (JSON, no secret), saved before it is issued.</summary>
    public string? PendingDescriptor { get; set; }

    /// <summary>Credential replacement: the descriptor of the issued credential whose fields are in the target (JSON, no secret).</summary>
    public string? NewDescriptor { get; set; }

    /// <summary>Credential replacement: bumped by rollback, so the next stage's request token reaches a new credential.</summary>
    public int Attempt { get; set; }
}
