namespace Keyshift.Apis.Integrations;

/// <summary>What the usage ledger says about one consumer of an integration: readiness for the new API and legacy use.</summary>
public sealed record ConsumerStatus
{
    public required string Consumer { get; init; }

    public long LegacyRequests { get; init; }

    public long NewRequests { get; init; }

    /// <summary>Percent of the consumer's served requests that new answered.</summary>
    public double ShiftedPercent { get; init; }

    public long ShadowComparisons { get; init; }

    public long ShadowDifferences { get; init; }

    public double DiffRatePercent { get; init; }

    /// <summary>Differing JSON paths (and <c>status</c>, <c>header:NAME</c>) with how often each differed.</summary>
    public IReadOnlyDictionary<string, long> DifferingPaths { get; init; } = new Dictionary<string, long>();

    public double LegacyErrorRatePercent { get; init; }

    public double NewErrorRatePercent { get; init; }

    /// <summary>True when an answer from new (or a shadow comparison) has come back with the consumer's token; false when token requests only failed; null with no evidence.</summary>
    public bool? TokenExchangeWorks { get; init; }

    public double? LegacyP50Ms { get; init; }

    public double? LegacyP99Ms { get; init; }

    public double? NewP50Ms { get; init; }

    public double? NewP99Ms { get; init; }

    public DateTimeOffset? LastLegacyUse { get; init; }

    /// <summary>
    /// The last time the consumer presented its legacy key at all — to legacy, or translated to new. What the
    /// retirement of the key waits on: a consumer still sending it to the gateway would break without it.
    /// </summary>
    public DateTimeOffset? LastLegacyKeyUse { get; init; }

    /// <summary>Fingerprints (short) of the legacy credentials this consumer presented.</summary>
    public IReadOnlyList<string> LegacyCredentials { get; init; } = [];
}
