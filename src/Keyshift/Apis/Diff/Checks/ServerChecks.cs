namespace Keyshift.Apis.Diff.Checks;

/// <summary>Base URLs: a consumer must point at the new server before anything else works.</summary>
internal sealed class ServerChecks(DiffContext context)
{
    public void Compare()
    {
        var (old, @new) = (context.Old.Servers, context.New.Servers);
        if (old.Count == 0 || @new.Count == 0)
            return;
        var gone = old.Where(u => !@new.Contains(u, StringComparer.OrdinalIgnoreCase)).ToList();
        if (gone.Count == 0)
            return;
        var all = context.Old.Operations.Select(o => o.Key).Concat(context.New.Operations.Select(o => o.Key)).Distinct(StringComparer.Ordinal);
        context.Report(ApiChecks.ServerChanged, $"the API is no longer served at {string.Join(", ", gone)}; clients must use {string.Join(" or ", @new)}", context.Old.ServersNode, context.New.ServersNode, all);
    }
}
