using Microsoft.Extensions.Logging;

namespace Keyshift.Gateway;

/// <summary>
/// Feeds shift-mode outcomes to each integration's <see cref="ShiftGuard"/> and, when one trips, counts it, logs it
/// and hands it to <c>rolledBack</c> (which audits and persists the rollback).
/// </summary>
internal sealed class ShiftJudge(GatewayMetrics metrics, Action<IntegrationRuntime, ShiftTrip> rolledBack, ILogger logger)
{
    public void Answer(IntegrationRuntime integration, bool failed) => Handle(integration, integration.Guard.Record(failed));

    public void Comparison(IntegrationRuntime integration, bool differed) => Handle(integration, integration.Guard.RecordComparison(differed));

    private void Handle(IntegrationRuntime integration, ShiftTrip? trip)
    {
        if (trip is null)
            return;
        metrics.Increment("keyshift_gateway_rollbacks_total", ("integration", integration.Name));
        Log.RolledBack(logger, integration.Name, trip.ToString());
        rolledBack(integration, trip);
    }
}
