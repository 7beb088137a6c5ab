namespace Keyshift.Probes;

/// <summary>One entry of a move's <c>probes:</c>, built: the probe and what its run must show (<c>expect</c>, default success).</summary>
public sealed record ConfiguredProbe(Probe Probe, ProbeExpectation Expectation);
