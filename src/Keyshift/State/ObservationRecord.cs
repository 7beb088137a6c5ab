namespace Keyshift.State;

/// <summary>
/// One observation persisted by <c>keyshift watch</c> (or a retire's own sampling round): a login seen by a
/// telemetry source at a time. Logins are role and user names, never secrets.
/// </summary>
public sealed class ObservationRecord
{
    public long Id { get; set; }

    /// <summary>The telemetry source's name, <c>issuer/kind</c> (<c>db/pg_stat_activity</c>).</summary>
    public required string Source { get; set; }

    public required string Username { get; set; }

    public DateTimeOffset Time { get; set; }

    public int Count { get; set; }

    public string? Detail { get; set; }
}
