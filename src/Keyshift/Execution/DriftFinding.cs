namespace Keyshift.Execution;

/// <summary>A difference between what should be and what is: value, presence or policy drift.</summary>
public sealed record DriftFinding(string MoveId, string Kind, string Message);
