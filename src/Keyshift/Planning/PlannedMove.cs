using Keyshift.State;

namespace Keyshift.Planning;

/// <summary>One move in a plan: what stage does to it and what its next step is. Fingerprints, never values.</summary>
public sealed record PlannedMove(
    Move Move,
    MoveState State,
    PlanOutcome Outcome,
    string? SourceFingerprint,
    string? TargetFingerprint,
    string NextStep)
{
    public string Id => Move.Id;
}
