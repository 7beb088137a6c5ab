using Microsoft.Extensions.Logging;

namespace Keyshift.Gateway;

/// <summary>The gateway's log messages. Arguments are names, counts and reasons Keyshift composes, never a credential.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "gateway listening on {Proxy}, admin on {Admin}")]
    public static partial void Listening(ILogger logger, string proxy, string admin);

    [LoggerMessage(2, LogLevel.Warning, "usage ledger flush failed ({Kind}); the counts are kept for the next flush")]
    public static partial void FlushFailed(ILogger logger, string kind);

    [LoggerMessage(3, LogLevel.Warning, "{Integration}/{Consumer}: token request failed: {Reason}")]
    public static partial void TokenFailed(ILogger logger, string integration, string consumer, string reason);

    [LoggerMessage(4, LogLevel.Warning, "{Integration}: shift rolled back to legacy: {Reason}")]
    public static partial void RolledBack(ILogger logger, string integration, string reason);

    [LoggerMessage(5, LogLevel.Debug, "{Integration}/{Consumer}: shadow request failed: {Reason}")]
    public static partial void ShadowFailed(ILogger logger, string integration, string consumer, string reason);

    [LoggerMessage(7, LogLevel.Information, "{Integration}/{Consumer}: legacy key retired (move {Move}); the consumer is no longer identified by it")]
    public static partial void LegacyKeyRetired(ILogger logger, string integration, string consumer, string move);

    [LoggerMessage(8, LogLevel.Warning, "{Integration}: shift stays rolled back to legacy (recorded before this start; keyshift gateway --reset-rollback {Integration} resumes it)")]
    public static partial void RollbackRestored(ILogger logger, string integration);

    [LoggerMessage(6, LogLevel.Warning, "{Integration}: upstream {Target} failed: {Reason}")]
    public static partial void UpstreamFailed(ILogger logger, string integration, string target, string reason);
}
