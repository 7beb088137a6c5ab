using Keyshift.Apis.Contracts;
using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Diff.Checks;

/// <summary>
/// Security schemes kept under the same name but changed: type, API key name or place, HTTP scheme, bearer format,
/// OAuth2 flows, URLs and scopes, OpenID Connect URL. Each change is attributed to the operations using the scheme;
/// a change to a scheme no operation uses is info.
/// </summary>
internal sealed class SchemeChecks(DiffContext context)
{
    public void Compare()
    {
        foreach (var (name, old) in context.Old.Schemes)
        {
            if (context.New.Schemes.TryGetValue(name, out var @new))
                Compare(name, old, @new, Users(name));
        }
    }

    private List<string> Users(string scheme) =>
        context.Old.Operations.Where(o => Uses(o, scheme)).Select(o => o.Key)
            .Concat(context.New.Operations.Where(o => Uses(o, scheme)).Select(o => o.Key))
            .Distinct(StringComparer.Ordinal).ToList();

    private static bool Uses(ApiOperation operation, string scheme) => operation.Security.Alternatives.Any(a => a.ContainsKey(scheme));

    private void Compare(string name, SecurityScheme old, SecurityScheme @new, List<string> users)
    {
        if (old.Type != @new.Type)
        {
            var check = @new.Type == "mutualTLS" ? ApiChecks.MutualTlsRequired : ApiChecks.SchemeTypeChanged;
            Report(check, $"security scheme `{name}` changed from {old.Type} to {@new.Type}: clients must {@new.Describe([])} instead of {old.Describe([])}", old.Node["type"], @new.Node["type"], users);
            return;
        }
        switch (old.Type)
        {
            case "apiKey":
                if (old.ApiKeyName != @new.ApiKeyName)
                    Report(ApiChecks.ApiKeyNameChanged, $"API key `{name}` must now be sent as {@new.In} `{@new.ApiKeyName}` instead of `{old.ApiKeyName}`", old.Node["name"], @new.Node["name"], users);
                if (old.In != @new.In)
                    Report(ApiChecks.ApiKeyLocationChanged, $"API key `{name}` must now be sent in the {@new.In} instead of the {old.In} (`{@new.ApiKeyName}`)", old.Node["in"], @new.Node["in"], users);
                break;
            case "http":
                if (old.HttpScheme != @new.HttpScheme)
                    Report(ApiChecks.HttpSchemeChanged, $"security scheme `{name}` changed from HTTP {old.HttpScheme} to {@new.HttpScheme}: clients must {@new.Describe([])} instead of {old.Describe([])}", old.Node["scheme"], @new.Node["scheme"], users);
                else if (old.BearerFormat != @new.BearerFormat)
                    Report(ApiChecks.BearerFormatChanged, $"bearer tokens for `{name}` are now {@new.BearerFormat ?? "of an unspecified format"} (was {old.BearerFormat ?? "unspecified"}); clients must obtain tokens of that format", old.Node["bearerFormat"] ?? old.Node, @new.Node["bearerFormat"] ?? @new.Node, users);
                break;
            case "oauth2":
                Flows(name, old, @new, users);
                break;
            case "openIdConnect":
                if (old.OpenIdConnectUrl != @new.OpenIdConnectUrl)
                    Report(ApiChecks.OpenIdConnectUrlChanged, $"clients must discover `{name}` tokens at {@new.OpenIdConnectUrl} instead of {old.OpenIdConnectUrl}", old.Node["openIdConnectUrl"], @new.Node["openIdConnectUrl"], users);
                break;
        }
    }

    private void Flows(string name, SecurityScheme old, SecurityScheme @new, List<string> users)
    {
        foreach (var (flowName, oldFlow) in old.Flows)
        {
            if (!@new.Flows.TryGetValue(flowName, out var newFlow))
            {
                var instead = @new.Flows.Count == 0 ? "" : $"; clients must use {string.Join(" or ", @new.Flows.Values.Select(f => f.Describe()))} instead";
                Report(ApiChecks.OAuthFlowRemoved, $"`{name}` no longer offers {oldFlow.Describe()}{instead}", oldFlow.Node, @new.Node, users);
                continue;
            }
            if (oldFlow.TokenUrl != newFlow.TokenUrl)
                Report(ApiChecks.TokenUrlChanged, $"clients must obtain `{name}` tokens ({newFlow.Describe()}) from {newFlow.TokenUrl} instead of {oldFlow.TokenUrl}", oldFlow.Node["tokenUrl"] ?? oldFlow.Node, newFlow.Node["tokenUrl"] ?? newFlow.Node, users);
            if (oldFlow.AuthorizationUrl != newFlow.AuthorizationUrl)
                Report(ApiChecks.AuthorizationUrlChanged, $"`{name}` authorization ({newFlow.Describe()}) moved from {oldFlow.AuthorizationUrl} to {newFlow.AuthorizationUrl}", oldFlow.Node["authorizationUrl"] ?? oldFlow.Node, newFlow.Node["authorizationUrl"] ?? newFlow.Node, users);
            if (oldFlow.RefreshUrl != newFlow.RefreshUrl)
                Report(ApiChecks.RefreshUrlChanged, $"`{name}` tokens are now refreshed at {newFlow.RefreshUrl ?? "the token URL"} (was {oldFlow.RefreshUrl ?? "the token URL"})", oldFlow.Node["refreshUrl"] ?? oldFlow.Node, newFlow.Node["refreshUrl"] ?? newFlow.Node, users);
            var removed = oldFlow.Scopes.Except(newFlow.Scopes, StringComparer.Ordinal).ToList();
            if (removed.Count > 0)
                Report(ApiChecks.OAuthScopeRemoved, $"`{name}` ({newFlow.Describe()}) no longer offers scope{(removed.Count > 1 ? "s" : "")} {string.Join(", ", removed)}; token requests asking for {(removed.Count > 1 ? "them" : "it")} will fail", oldFlow.Node["scopes"] ?? oldFlow.Node, newFlow.Node["scopes"] ?? newFlow.Node, users);
        }
        foreach (var (flowName, newFlow) in @new.Flows)
        {
            if (!old.Flows.ContainsKey(flowName))
                Report(ApiChecks.OAuthFlowAdded, $"`{name}` now also offers {newFlow.Describe()}{(newFlow.TokenUrl is null ? "" : $" at {newFlow.TokenUrl}")}", old.Node, newFlow.Node, users);
        }
    }

    private void Report(ApiCheck check, string message, ApiNode? oldNode, ApiNode? newNode, List<string> users)
    {
        var change = context.Create(check, users.Count == 0 ? message + " (no operation uses this scheme)" : message, oldNode, newNode);
        if (users.Count == 0)
            change.Severity = Severity.Info;
        change = context.Add(change);
        foreach (var user in users)
            change.AddOperation(user);
    }
}
