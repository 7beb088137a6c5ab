namespace Keyshift.Configuration;

/// <summary><c>cutover:</c> the gates before retirement.</summary>
public sealed record CutoverConfig
{
    /// <summary>How long old and new stay valid together after cutover.</summary>
    public TimeSpan DualRun { get; init; } = TimeSpan.FromHours(72);

    /// <summary>How long telemetry must show no use of the old path (moves with a telemetry source only).</summary>
    public TimeSpan QuietWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How many distinct approvals a move needs before retirement.</summary>
    public int Approvals { get; init; }
}
