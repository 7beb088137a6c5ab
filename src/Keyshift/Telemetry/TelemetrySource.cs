namespace Keyshift.Telemetry;

/// <summary>
/// Evidence of who still uses a credential: a log read after the fact or a live sample. One method: collect
/// what is new since <c>cursor</c>. A source that cannot read (file missing, server down) throws
/// <see cref="TelemetryException"/>: no batch means no coverage, so the quiet-window gate cannot hold by accident.
/// </summary>
public abstract class TelemetrySource(string name)
{
    /// <summary>A stable name, <c>issuer/kind</c> (<c>db/postgres-log</c>), under which the engine keeps the cursor.</summary>
    public string Name { get; } = name;

    /// <summary>True for live samples (coverage holds only between samples no further apart than the interval).</summary>
    public abstract bool IsSampled { get; }

    public abstract ValueTask<TelemetryBatch> CollectAsync(string? cursor, CancellationToken cancellationToken);

    public override string ToString() => Name;
}
