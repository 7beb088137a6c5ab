namespace Keyshift.Telemetry;

/// <summary>A telemetry source could not collect; the message names the source and never holds a secret.</summary>
public sealed class TelemetryException(string message, Exception? inner = null) : Exception(message, inner);
