namespace Keyshift.Execution;

/// <summary>How far a step has got, for progress bars.</summary>
public readonly record struct StepProgress(string Step, int Done, int Total);
