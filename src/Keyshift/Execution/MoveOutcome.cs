using Keyshift.State;

namespace Keyshift.Execution;

/// <summary>Where a move ended after a command, and what held it back or made it fail.</summary>
public sealed record MoveOutcome(string MoveId, MoveState State, IReadOnlyList<Gate> HeldBy, string? Failure);
