using Keyshift.Apis.Contracts;
using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Diff.Checks;

/// <summary>Documented rate limits: limits lowered, added or removed, and rate-limit response headers that clients pace themselves on.</summary>
internal sealed class RateLimitChecks(DiffContext context)
{
    public static bool IsRateLimitHeader(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower is "retry-after" or "ratelimit" || lower.StartsWith("ratelimit-", StringComparison.Ordinal)
            || lower.StartsWith("x-ratelimit", StringComparison.Ordinal) || lower.StartsWith("x-rate-limit", StringComparison.Ordinal);
    }

    public void Compare(OperationScope scope)
    {
        // The consumer does not call callbacks or webhooks: their limits are not the consumer's to respect.
        if (scope.IsCallOut)
            return;
        Headers(scope);
        Limits(scope);
    }

    private void Headers(OperationScope scope)
    {
        var (old, @new) = (RateLimitHeaders(scope.Old), RateLimitHeaders(scope.New));
        foreach (var (name, header) in old)
        {
            if (!@new.ContainsKey(name))
                context.Report(ApiChecks.RateLimitHeaderRemoved, $"responses of `{scope.Label}` no longer document `{header.Name}`; clients that pace themselves on it lose that signal", header.Node, scope.New.Node["responses"] ?? scope.New.Node, scope.Keys);
        }
        foreach (var (name, header) in @new)
        {
            if (!old.ContainsKey(name))
                context.Report(ApiChecks.RateLimitHeaderAdded, $"responses of `{scope.Label}` now document `{header.Name}`", scope.Old.Node["responses"] ?? scope.Old.Node, header.Node, scope.Keys);
        }
    }

    private static Dictionary<string, ApiHeader> RateLimitHeaders(ApiOperation operation)
    {
        var headers = new Dictionary<string, ApiHeader>(StringComparer.OrdinalIgnoreCase);
        foreach (var response in operation.Responses.Values)
        {
            foreach (var (name, header) in response.Headers)
            {
                if (IsRateLimitHeader(name))
                    headers.TryAdd(name, header);
            }
        }
        return headers;
    }

    private void Limits(OperationScope scope)
    {
        var newByKey = scope.New.RateLimits.ToDictionary(l => l.Key, StringComparer.OrdinalIgnoreCase);
        foreach (var old in scope.Old.RateLimits)
        {
            if (!newByKey.Remove(old.Key, out var @new))
            {
                context.Report(ApiChecks.RateLimitRemoved, $"`{scope.Label}` no longer documents the rate limit {old.Describe()} ({old.Key})", old.Node, scope.New.Node, scope.Keys);
                continue;
            }
            var comparison = CompareRates(old, @new);
            var who = Who(scope, old.Node, @new.Node);
            if (comparison < 0)
                context.Report(ApiChecks.RateLimitLowered, $"rate limit of {who} lowered from {old.Describe()} to {@new.Describe()} ({@new.Key}); clients must slow down or handle 429 responses", old.Node, @new.Node, scope.Keys);
            else if (comparison > 0)
                context.Report(ApiChecks.RateLimitRaised, $"rate limit of {who} raised from {old.Describe()} to {@new.Describe()} ({@new.Key})", old.Node, @new.Node, scope.Keys);
        }
        foreach (var @new in newByKey.Values)
            context.Report(ApiChecks.RateLimitAdded, $"`{scope.Label}` is now limited to {@new.Describe()} ({@new.Key}); clients must stay below it or handle 429 responses", scope.Old.Node, @new.Node, scope.Keys);
    }

    /// <summary>Limits set at the top level or on a path item apply to several operations: one change names them all.</summary>
    private static string Who(OperationScope scope, ApiNode oldNode, ApiNode newNode)
    {
        if (oldNode.Parent?.Parent is null && newNode.Parent?.Parent is null)
            return "the API (top-level limit)";
        if (ReferenceEquals(oldNode.Parent, scope.Old.PathItem) && ReferenceEquals(newNode.Parent, scope.New.PathItem))
            return $"path {scope.New.Path}";
        return $"`{scope.Label}`";
    }

    /// <summary>Negative when the new limit allows less. Rates per second when both windows are known, else the raw numbers.</summary>
    private static int CompareRates(RateLimit old, RateLimit @new)
    {
        if (old.PerSecond is { } o && @new.PerSecond is { } n)
            return n.CompareTo(o);
        return @new.Limit.CompareTo(old.Limit);
    }
}
