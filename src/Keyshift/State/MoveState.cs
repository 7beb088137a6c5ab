namespace Keyshift.State;

/// <summary>
/// The move state machine (DESIGN.md): Planned → Staged → Verified → DualRun → Retired, rollback to
/// RolledBack before retirement, Failed (retryable) from any step, Compromised from any state.
/// NIST SP 800-57: Staged is pre-activation, DualRun active, Retired deactivated.
/// </summary>
public enum MoveState
{
    Planned,
    Staged,
    Verified,
    DualRun,
    Retired,
    RolledBack,
    Failed,
    Compromised,
}
