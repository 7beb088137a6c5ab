using Keyshift.Apis.Contracts;
using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Diff.Checks;

/// <summary>Parameters removed, renamed, moved, made required or added, and their values narrowed.</summary>
internal sealed class ParameterChecks(DiffContext context, SchemaComparer schemas)
{
    public void Compare(OperationScope scope)
    {
        var newByKey = scope.New.Parameters.ToDictionary(p => p.MatchKey, StringComparer.Ordinal);
        var removed = new List<ApiParameter>();
        foreach (var old in scope.Old.Parameters)
        {
            if (newByKey.Remove(old.MatchKey, out var @new))
                Matched(scope, old, @new);
            else
                removed.Add(old);
        }
        var added = newByKey.Values.ToList();
        foreach (var old in removed.ToList())
        {
            var moved = added.FirstOrDefault(a => a.Name.Equals(old.Name, StringComparison.OrdinalIgnoreCase) && a.In != old.In);
            if (moved is null)
                continue;
            context.Report(ApiChecks.ParameterMoved, $"parameter `{old.Name}` of `{scope.Label}` moved from {old.In} to {moved.In}; clients must send it in the {moved.In}", old.Node, moved.Node, scope.Keys);
            Values(scope, old, moved);
            removed.Remove(old);
            added.Remove(moved);
        }
        foreach (var old in removed.ToList())
        {
            var candidates = added.Where(a => a.In == old.In && a.In != "path" && Signature(context.New.Document, a) == Signature(context.Old.Document, old)).ToList();
            if (candidates.Count != 1 || scope.IsCallOut)
                continue;
            var renamed = candidates[0];
            context.Report(ApiChecks.ParameterRenamed, $"{old.Describe()} of `{scope.Label}` was renamed to `{renamed.Name}`; clients must send `{renamed.Name}` instead", old.Node, renamed.Node, scope.Keys);
            Values(scope, old, renamed);
            removed.Remove(old);
            added.Remove(renamed);
        }
        foreach (var old in removed)
        {
            var consequence = scope.IsCallOut ? "the API no longer sends it" : "the API ignores it now";
            context.Report(ApiChecks.ParameterRemoved, $"{old.Describe()} of `{scope.Label}` was removed; {consequence}", old.Node, scope.New.Node, scope.Keys);
        }
        if (scope.IsCallOut)
            return;
        foreach (var @new in added)
        {
            if (@new.Required)
                context.Report(ApiChecks.RequiredParameterAdded, $"`{scope.Label}` now requires {@new.Describe()}; requests without it will be rejected", scope.Old.Node, @new.Node, scope.Keys);
            else
                context.Report(ApiChecks.OptionalParameterAdded, $"`{scope.Label}` accepts a new optional {@new.Describe()}", scope.Old.Node, @new.Node, scope.Keys);
        }
    }

    private void Matched(OperationScope scope, ApiParameter old, ApiParameter @new)
    {
        if (!scope.IsCallOut && !old.Required && @new.Required)
            context.Report(ApiChecks.ParameterMadeRequired, $"{@new.Describe()} of `{scope.Label}` is now required; requests without it will be rejected", old.Node, @new.Node, scope.Keys);
        Values(scope, old, @new);
    }

    private void Values(OperationScope scope, ApiParameter old, ApiParameter @new)
    {
        var comparison = schemas.Compare(old.Schema, @new.Schema, scope.RequestFlow, SchemaSubject.Of($"{@new.Describe()} of `{scope.Label}`"), nameReferences: false);
        context.Attribute(comparison, scope.Keys);
    }

    private static string Signature(ApiDocument document, ApiParameter parameter)
    {
        var schema = document.Deref(parameter.Schema);
        return schema is null ? "" : $"{string.Join(",", SchemaFacts.Types(schema))}|{schema.String("format")}";
    }
}
