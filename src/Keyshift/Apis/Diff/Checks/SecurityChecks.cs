using Keyshift.Apis.Contracts;

namespace Keyshift.Apis.Diff.Checks;

/// <summary>
/// What a machine client must present to call an operation, before and after: requirements added, replaced or
/// dropped, mutual TLS, and scopes added. Messages say what the client must do instead.
/// </summary>
internal sealed class SecurityChecks(DiffContext context)
{
    public void Compare(OperationScope scope)
    {
        var (old, @new) = (scope.Old.Security, scope.New.Security);
        var oldNode = old.Node ?? scope.Old.Node;
        var newNode = @new.Node ?? scope.New.Node;
        // Inherited from the top-level `security`: one change for every operation, worded without naming one.
        var who = IsGlobal(old.Node) && IsGlobal(@new.Node) ? "the API (top-level security)" : $"`{scope.Label}`";
        if (old.AllowsAnonymous && @new.AllowsAnonymous)
            return;
        if (old.AllowsAnonymous)
        {
            if (RequiresMutualTls(@new, context.New) && !RequiresMutualTls(old, context.Old))
                context.Report(ApiChecks.MutualTlsRequired, $"{who} now requires credentials: clients must {Describe(@new, context.New)}", oldNode, newNode, scope.Keys);
            else
                context.Report(ApiChecks.SecurityRequirementAdded, $"{who} now requires credentials: clients must {Describe(@new, context.New)}", oldNode, newNode, scope.Keys);
            return;
        }
        if (@new.AllowsAnonymous)
        {
            context.Report(ApiChecks.SecurityRequirementRemoved, $"{who} no longer requires credentials (was: {Describe(old, context.Old)}); check that this is intended", oldNode, newNode, scope.Keys);
            return;
        }
        var broken = old.Alternatives.Where(a => !@new.Alternatives.Any(b => b.Keys.All(a.ContainsKey))).ToList();
        if (broken.Count > 0)
        {
            var instead = Describe(new SecurityRequirement(broken, null), context.Old, gerund: true);
            if (RequiresMutualTls(@new, context.New) && !RequiresMutualTls(old, context.Old))
                context.Report(ApiChecks.MutualTlsRequired, $"{who} now requires mutual TLS: clients must {Describe(@new, context.New)} instead of {instead}", oldNode, newNode, scope.Keys);
            else
                context.Report(ApiChecks.SecurityRequirementChanged, $"{who} requires different credentials: clients must {Describe(@new, context.New)} instead of {instead}", oldNode, newNode, scope.Keys);
        }
        foreach (var oldAlternative in old.Alternatives)
        {
            var same = @new.Alternatives.FirstOrDefault(b => b.Count == oldAlternative.Count && b.Keys.All(oldAlternative.ContainsKey));
            if (same is null)
                continue;
            foreach (var (scheme, scopes) in same)
            {
                var added = scopes.Except(oldAlternative[scheme], StringComparer.Ordinal).ToList();
                if (added.Count > 0)
                    context.Report(ApiChecks.SecurityScopeAdded, $"{who} now needs scope{(added.Count > 1 ? "s" : "")} {string.Join(", ", added)} on `{scheme}`; clients must request tokens that carry {(added.Count > 1 ? "them" : "it")}", oldNode, newNode, scope.Keys);
            }
        }
    }

    public static string Describe(SecurityRequirement requirement, ApiContract contract, bool gerund = false) =>
        string.Join(" or ", requirement.Alternatives.Select(alternative => string.Join(" and ", alternative.Select(s =>
        {
            var phrase = contract.Schemes.TryGetValue(s.Key, out var scheme) ? scheme.Describe(s.Value) : $"use the undefined scheme `{s.Key}`";
            return gerund ? SecurityScheme.Gerund(phrase) : phrase;
        }))));

    private static bool IsGlobal(Documents.ApiNode? node) => node is { Parent.Parent: null };

    private static bool RequiresMutualTls(SecurityRequirement requirement, ApiContract contract) =>
        requirement.Alternatives.Count > 0 && requirement.Alternatives.All(a => a.Keys.Any(k => contract.Schemes.TryGetValue(k, out var s) && s.Type == "mutualTLS"));
}
