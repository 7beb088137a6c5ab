namespace Keyshift.Probes;

/// <summary>The result of one probe run; <see cref="Reason"/> never contains the credential (see <see cref="Redaction"/>).</summary>
public sealed record ProbeResult(string Probe, ProbeOutcome Outcome, string Reason, TimeSpan Elapsed)
{
    public bool Meets(ProbeExpectation expectation) => expectation switch
    {
        ProbeExpectation.Success => Outcome == ProbeOutcome.Succeeded,
        _ => Outcome == ProbeOutcome.Refused,
    };

    public override string ToString() => $"{Probe}: {Outcome.ToString().ToLowerInvariant()}: {Reason}";
}
