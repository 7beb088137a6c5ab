namespace Keyshift.State;

/// <summary>Where a telemetry source's next collection starts (a log offset), and the interval it is sampled at.</summary>
public sealed class TelemetryCursor
{
    public required string Source { get; set; }

    public string? Cursor { get; set; }

    public TimeSpan Interval { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
