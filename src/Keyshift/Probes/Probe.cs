using System.Diagnostics;
using Keyshift.Issuers;

namespace Keyshift.Probes;

/// <summary>
/// A check that a credential really authenticates (postgres, redis, rabbitmq, http, tls, command). The engine
/// runs it with the new credential before cutover, with both during dual-run, and with the old one after
/// retirement expecting <see cref="ProbeOutcome.Refused"/>. One method; the result's reason never holds a secret.
/// </summary>
public abstract class Probe(string name)
{
    /// <summary>A name for reports: the move's probe entry (<c>postgres</c>, <c>tls#2</c>).</summary>
    public string Name { get; } = name;

    public abstract string Type { get; }

    /// <summary>Runs the check with <paramref name="credential"/>; never throws for a failed check, only for cancellation.</summary>
    public async ValueTask<ProbeResult> RunAsync(Credential credential, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        ProbeResult result;
        try
        {
            var (outcome, reason) = await CheckAsync(credential, cancellationToken);
            result = new ProbeResult(Name, outcome, reason, clock.Elapsed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = new ProbeResult(Name, ProbeOutcome.Unreachable, "timed out", clock.Elapsed);
        }
        return result with { Reason = Redaction.Apply(result.Reason, credential) };
    }

    /// <summary>The check itself: the outcome and a reason for people.</summary>
    protected abstract ValueTask<(ProbeOutcome Outcome, string Reason)> CheckAsync(Credential credential, CancellationToken cancellationToken);

    /// <summary>A credential field as text, or a clear failure naming the missing field.</summary>
    protected static string Require(Credential credential, string field) =>
        credential.Field(field)?.RevealUtf8() ?? throw new ArgumentException($"the credential has no '{field}' field");

    public override string ToString() => $"probe '{Name}' ({Type})";
}
