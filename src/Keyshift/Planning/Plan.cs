namespace Keyshift.Planning;

/// <summary>What <c>apply</c> will do, computed from <c>keyshift.yaml</c>, the state and the live stores.</summary>
public sealed record Plan(string ConfigHash, IReadOnlyList<PlannedMove> Moves)
{
    public int Count(PlanOutcome outcome) => Moves.Count(m => m.Outcome == outcome);

    public IEnumerable<PlannedMove> Conflicts => Moves.Where(m => m.Outcome == PlanOutcome.Conflict);
}
