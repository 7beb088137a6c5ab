namespace Keyshift.Telemetry;

/// <summary>
/// What one collection from a source returned: the observations, the span they cover, and the cursor to
/// give the next collection (a log offset) so nothing is read twice. The engine persists all three.
/// </summary>
public sealed record TelemetryBatch(string Source, IReadOnlyList<Observation> Observations, Coverage Coverage, string? Cursor);
