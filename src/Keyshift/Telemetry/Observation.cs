namespace Keyshift.Telemetry;

/// <summary>
/// One piece of evidence that a login was used: which login (role or user), when, where the evidence came
/// from (<c>postgres-log</c>, <c>pg_stat_activity</c>, <c>redis-clients</c>, …), how many uses and a non-secret detail
/// (database, client address).
/// </summary>
public sealed record Observation(string Source, string Username, DateTimeOffset Time, int Count = 1, string? Detail = null);
