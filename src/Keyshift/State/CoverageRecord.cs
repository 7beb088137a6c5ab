namespace Keyshift.State;

/// <summary>
/// A span a telemetry source's evidence covers: a log read from <see cref="From"/> to <see cref="To"/>, or a
/// sample (From = To) that counts for <see cref="MaxGap"/> (the sampling interval) on either side.
/// </summary>
public sealed class CoverageRecord
{
    public long Id { get; set; }

    public required string Source { get; set; }

    public DateTimeOffset From { get; set; }

    public DateTimeOffset To { get; set; }

    public TimeSpan MaxGap { get; set; }
}
