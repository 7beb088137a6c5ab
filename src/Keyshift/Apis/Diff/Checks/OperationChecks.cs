using Keyshift.Apis.Contracts;

namespace Keyshift.Apis.Diff.Checks;

/// <summary>Matches operations (by method and path, then by operationId or shape for renames) and runs every per-operation check.</summary>
internal sealed class OperationChecks(DiffContext context, SchemaComparer schemas)
{
    private readonly ParameterChecks _parameters = new(context, schemas);
    private readonly BodyChecks _bodies = new(context, schemas);
    private readonly SecurityChecks _security = new(context);
    private readonly RateLimitChecks _rateLimits = new(context);

    public void Paths() => Compare(context.Old.Operations, context.New.Operations);

    public void Webhooks() => Compare(context.Old.Webhooks, context.New.Webhooks);

    private void Compare(IReadOnlyList<ApiOperation> oldOperations, IReadOnlyList<ApiOperation> newOperations)
    {
        var newByKey = new Dictionary<string, ApiOperation>(StringComparer.Ordinal);
        foreach (var operation in newOperations)
            newByKey.TryAdd(operation.MatchKey, operation);
        var removed = new List<ApiOperation>();
        var matchedNew = new HashSet<ApiOperation>(ReferenceEqualityComparer.Instance);
        foreach (var old in oldOperations)
        {
            if (newByKey.TryGetValue(old.MatchKey, out var @new) && matchedNew.Add(@new))
                CompareOperation(new OperationScope(old, @new, DiffContext.Keys(old, @new)));
            else
                removed.Add(old);
        }
        var added = newOperations.Where(n => !matchedNew.Contains(n)).ToList();
        foreach (var (old, @new) in RenameDetector.Match(removed, added))
        {
            removed.Remove(old);
            added.Remove(@new);
            var keys = DiffContext.Keys(old, @new);
            context.Report(ApiChecks.OperationRenamed, $"`{old.Display}` moved to `{@new.Display}`; clients must call the new path", old.Node, @new.Node, keys);
            CompareOperation(new OperationScope(old, @new, keys));
        }
        foreach (var old in removed)
            Removed(old, newOperations);
        foreach (var @new in added)
        {
            if (@new.Kind == ApiOperationKind.Webhook)
                context.Report(ApiChecks.WebhookAdded, $"the API now sends `{@new.Display}`", null, @new.Node, @new.Key);
            else
                context.Report(ApiChecks.OperationAdded, $"new operation `{@new.Display}`", null, @new.Node, @new.Key);
        }
    }

    private void Removed(ApiOperation old, IReadOnlyList<ApiOperation> newOperations)
    {
        var samePath = newOperations.FirstOrDefault(n => n.Kind == old.Kind && OperationKeys.NormalizePath(n.Path) == OperationKeys.NormalizePath(old.Path));
        var newContext = samePath?.PathItem ?? (old.Kind == ApiOperationKind.Webhook ? context.New.Document.Root["webhooks"] : context.New.Document.Root["paths"]);
        if (old.Sunset is { } sunset && sunset > context.Today)
            context.Report(ApiChecks.RemovedBeforeSunset, $"`{old.Display}` was removed before its sunset date {sunset:yyyy-MM-dd}; clients still calling it break now", old.Node, newContext, old.Key);
        else if (old.Sunset is { } passed)
            context.Report(ApiChecks.RemovedAfterSunset, $"`{old.Display}` was removed after its announced sunset date {passed:yyyy-MM-dd}; clients still calling it break", old.Node, newContext, old.Key);
        else if (old.Kind == ApiOperationKind.Webhook)
            context.Report(ApiChecks.WebhookRemoved, $"the API no longer sends `{old.Display}`; consumers stop receiving these events", old.Node, newContext, old.Key);
        else if (samePath is null)
            context.Report(ApiChecks.PathRemoved, $"`{old.Display}` was removed (the whole path {old.Path} is gone); clients calling it get 404", old.Node, newContext, old.Key);
        else
            context.Report(ApiChecks.OperationRemoved, $"`{old.Display}` was removed; clients calling it get 405 or 404", old.Node, newContext, old.Key);
    }

    public void CompareOperation(OperationScope scope)
    {
        var (old, @new) = (scope.Old, scope.New);
        if (old.Kind == ApiOperationKind.Path && old.OperationId is not null && @new.OperationId is not null && old.OperationId != @new.OperationId)
            context.Report(ApiChecks.OperationIdChanged, $"operationId of `{@new.Display}` changed from {old.OperationId} to {@new.OperationId}; generated clients rename the method", old.Node["operationId"], @new.Node["operationId"], scope.Keys);
        Deprecation(scope);
        _parameters.Compare(scope);
        _bodies.Compare(scope);
        if (!scope.IsCallOut)
        {
            _security.Compare(scope);
            Callbacks(scope);
        }
        _rateLimits.Compare(scope);
    }

    private void Deprecation(OperationScope scope)
    {
        var (old, @new) = (scope.Old, scope.New);
        if (!old.Deprecated && @new.Deprecated)
        {
            var until = @new.Sunset is { } s ? $" before {s:yyyy-MM-dd}" : "";
            context.Report(ApiChecks.OperationDeprecated, $"`{@new.Display}` is now deprecated; plan to move off it{until}", old.Node, @new.Node["deprecated"], scope.Keys);
        }
        if (@new.Sunset is not { } newSunset)
            return;
        if (old.Sunset is not { } oldSunset)
            context.Report(ApiChecks.SunsetAnnounced, $"`{@new.Display}` will be removed on {newSunset:yyyy-MM-dd} (x-sunset); clients must move off it before then", old.Node, @new.Node["x-sunset"], scope.Keys);
        else if (newSunset < oldSunset)
            context.Report(ApiChecks.SunsetAnnounced, $"`{@new.Display}` sunset moved earlier from {oldSunset:yyyy-MM-dd} to {newSunset:yyyy-MM-dd}", old.Node["x-sunset"], @new.Node["x-sunset"], scope.Keys);
        else if (newSunset > oldSunset)
            context.Report(ApiChecks.SunsetPostponed, $"`{@new.Display}` sunset postponed from {oldSunset:yyyy-MM-dd} to {newSunset:yyyy-MM-dd}", old.Node["x-sunset"], @new.Node["x-sunset"], scope.Keys);
    }

    private void Callbacks(OperationScope scope)
    {
        var newCallbacks = scope.New.Callbacks.ToList();
        foreach (var oldCallback in scope.Old.Callbacks)
        {
            var match = newCallbacks.FirstOrDefault(c => c.Name == oldCallback.Name && c.Expression == oldCallback.Expression)
                ?? (scope.Old.Callbacks.Count(c => c.Name == oldCallback.Name) == 1 ? newCallbacks.FirstOrDefault(c => c.Name == oldCallback.Name) : null);
            if (match is null)
            {
                context.Report(ApiChecks.CallbackRemoved, $"`{scope.Label}` no longer sends callback `{oldCallback.Name}` ({oldCallback.Expression}); consumers stop receiving it", oldCallback.Node, scope.New.Node, scope.Keys);
                continue;
            }
            newCallbacks.Remove(match);
            foreach (var oldRequest in oldCallback.Operations)
            {
                var newRequest = match.Operations.FirstOrDefault(o => o.Method == oldRequest.Method);
                var label = $"callback {oldCallback.Name} ({oldRequest.Method} {match.Expression})";
                if (newRequest is null)
                    context.Report(ApiChecks.CallbackRemoved, $"`{scope.Label}` no longer sends {label}; consumers stop receiving it", oldRequest.Node, match.Node, scope.Keys);
                else
                    CompareOperation(new OperationScope(oldRequest, newRequest, scope.Keys) { Label = label });
            }
            foreach (var newRequest in match.Operations.Where(n => oldCallback.Operations.All(o => o.Method != n.Method)))
                context.Report(ApiChecks.CallbackAdded, $"`{scope.Label}` now also sends callback `{match.Name}` ({newRequest.Method} {match.Expression})", oldCallback.Node, newRequest.Node, scope.Keys);
        }
        foreach (var added in newCallbacks)
            context.Report(ApiChecks.CallbackAdded, $"`{scope.Label}` now sends callback `{added.Name}` ({added.Expression})", scope.Old.Node, added.Node, scope.Keys);
    }
}
