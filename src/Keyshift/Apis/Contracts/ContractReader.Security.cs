using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Contracts;

internal sealed partial class ContractReader
{
    private Dictionary<string, SecurityScheme> ReadSchemes()
    {
        var result = new Dictionary<string, SecurityScheme>(StringComparer.Ordinal);
        var schemes = _v2 ? _doc.Root["securityDefinitions"] : _doc.Root["components"]?["securitySchemes"];
        if (schemes is not { IsObject: true })
            return result;
        foreach (var (name, raw) in schemes.Properties)
        {
            var node = _doc.Deref(raw)!;
            var type = node.String("type") ?? "";
            result[name] = _v2 ? ReadV2Scheme(name, type, node) : ReadScheme(name, type, node);
        }
        return result;
    }

    private static SecurityScheme ReadScheme(string name, string type, ApiNode node)
    {
        var flows = new Dictionary<string, OAuthFlow>(StringComparer.Ordinal);
        if (node["flows"] is { IsObject: true } flowNodes)
        {
            foreach (var (flowName, flow) in flowNodes.Properties)
            {
                if (!flowName.StartsWith("x-", StringComparison.Ordinal))
                    flows[flowName] = ReadFlow(flowName, flow);
            }
        }
        return new SecurityScheme(name, type, node)
        {
            ApiKeyName = node.String("name"),
            In = node.String("in"),
            HttpScheme = node.String("scheme")?.ToLowerInvariant(),
            BearerFormat = node.String("bearerFormat"),
            Flows = flows,
            OpenIdConnectUrl = node.String("openIdConnectUrl"),
        };
    }

    private static SecurityScheme ReadV2Scheme(string name, string type, ApiNode node)
    {
        if (type == "basic")
            return new SecurityScheme(name, "http", node) { HttpScheme = "basic" };
        if (type == "oauth2")
        {
            var flowName = node.String("flow") switch
            {
                "application" => "clientCredentials",
                "accessCode" => "authorizationCode",
                { } other => other,
                null => "unknown",
            };
            return new SecurityScheme(name, "oauth2", node) { Flows = new Dictionary<string, OAuthFlow> { [flowName] = ReadFlow(flowName, node) } };
        }
        return new SecurityScheme(name, type, node) { ApiKeyName = node.String("name"), In = node.String("in") };
    }

    private static OAuthFlow ReadFlow(string name, ApiNode flow) => new(
        name,
        flow.String("authorizationUrl"),
        flow.String("tokenUrl"),
        flow.String("refreshUrl"),
        flow["scopes"]?.Properties.Keys.ToList() ?? [],
        flow);
}
