using Keyshift.Apis.Contracts;
using Keyshift.Apis.Diff.Checks;
using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Diff;

/// <summary>Compares two OpenAPI documents: load, run every check, apply the rules file and the consumer view.</summary>
internal static class ApiDiff
{
    public static ApiDiffResult Run(ApiDiffOptions options)
    {
        // The two documents are independent: reading each (parse, references, contract) at once halves the wall
        // time on two cores.
        var readNew = Task.Run(() => Read(options.NewPath));
        (ApiDocument Document, ApiContract Contract) old;
        try
        {
            old = Read(options.OldPath);
        }
        catch
        {
            // The old document's error is the one reported; the other read must not outlive the call.
            readNew.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default).Wait();
            throw;
        }
        var @new = readNew.GetAwaiter().GetResult();
        return Finish(old.Document, @new.Document, Compare(old.Contract, @new.Contract, options.Today), options);
    }

    public static ApiDiffResult Run(ApiDocument old, ApiDocument @new, ApiDiffOptions options) =>
        Finish(old, @new, Compare(ApiContract.Read(old), ApiContract.Read(@new), options.Today), options);

    private static (ApiDocument Document, ApiContract Contract) Read(string path)
    {
        var document = ApiDocumentLoader.Load(path);
        return (document, ApiContract.Read(document));
    }

    private static ApiDiffResult Finish(ApiDocument old, ApiDocument @new, List<ApiChange> changes, ApiDiffOptions options)
    {
        var (kept, ignored) = ApplyRules(changes, options.Rules);
        if (options.Uses is { } uses)
            kept = ForConsumer(kept, uses);
        return new ApiDiffResult(old, @new, Sort(kept)) { Consumer = options.Uses, Ignored = ignored };
    }

    public static List<ApiChange> Compare(ApiContract old, ApiContract @new, DateOnly today)
    {
        var context = new DiffContext(old, @new, today);
        var operations = new OperationChecks(context, new SchemaComparer(context));
        new ServerChecks(context).Compare();
        operations.Paths();
        operations.Webhooks();
        new SchemeChecks(context).Compare();
        context.FinishAttribution();
        return context.Changes.ToList();
    }

    /// <summary>
    /// Only the changes that touch the given operations (<c>GET /charges/{id}</c>; path parameter names and method case
    /// do not matter). This is also how a consumer's operations from <c>keyshift.yaml</c> integrations are applied.
    /// </summary>
    public static List<ApiChange> ForConsumer(IEnumerable<ApiChange> changes, IReadOnlyList<string> operations)
    {
        var wanted = operations.Select(OperationKeys.NormalizeUse).ToHashSet(StringComparer.Ordinal);
        return changes.Where(c => c.Check == ApiChecks.UnusedIgnore || c.Operations.Any(o => wanted.Contains(OperationKeys.NormalizeUse(o)))).ToList();
    }

    private static (List<ApiChange> Kept, int Ignored) ApplyRules(List<ApiChange> changes, DiffRules rules)
    {
        var kept = new List<ApiChange>();
        var used = new HashSet<DiffIgnore>();
        foreach (var change in changes)
        {
            if (rules.Severities.TryGetValue(change.Check, out var severity))
                change.Severity = severity;
            var ignore = rules.Ignores.FirstOrDefault(i => i.Matches(change));
            if (ignore is null)
                kept.Add(change);
            else
                used.Add(ignore);
        }
        foreach (var ignore in rules.Ignores.Where(i => !used.Contains(i)))
        {
            var where = new ApiLocation(ignore.Location.File, "", ignore.Location.Line);
            var scope = ignore.Operation is null ? "" : $" on {ignore.Operation}";
            kept.Add(new ApiChange(ApiChecks.UnusedIgnore, $"the ignore of {ignore.Check}{scope} matched no change; remove it from the rules file", null, where));
        }
        return (kept, changes.Count - kept.Count(c => c.Check != ApiChecks.UnusedIgnore));
    }

    private static List<ApiChange> Sort(IEnumerable<ApiChange> changes) =>
        changes.OrderByDescending(c => c.Severity)
            .ThenBy(c => c.Check.Id, StringComparer.Ordinal)
            .ThenBy(c => c.Primary.File, StringComparer.Ordinal)
            .ThenBy(c => c.Primary.Line)
            .ThenBy(c => c.Message, StringComparer.Ordinal)
            .ToList();
}
