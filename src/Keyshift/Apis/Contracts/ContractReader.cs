using System.Globalization;
using Keyshift.Apis.Documents;
using Keyshift.Configuration;

namespace Keyshift.Apis.Contracts;

/// <summary>Reads operations, bodies, responses, security, callbacks and webhooks out of a 2.0 or 3.x document.</summary>
internal sealed partial class ContractReader
{
    private readonly ApiDocument _doc;
    private readonly ErrorList _errors = new();
    private readonly bool _v2;

    public ContractReader(ApiDocument document)
    {
        _doc = document;
        _v2 = document.Version == OpenApiVersion.Swagger20;
    }

    public ApiContract Read()
    {
        var root = _doc.Root;
        if (root["info"] is not { IsObject: true })
            Error(root, "info", "is required (an OpenAPI document has an 'info' object); the document may be truncated");
        var paths = root["paths"];
        if (paths is not null && !paths.IsObject)
            Error(paths, "paths", "must be a mapping of paths to path items");
        var operations = new List<ApiOperation>();
        if (paths is { IsObject: true })
        {
            foreach (var (path, item) in paths.Properties)
            {
                if (path.StartsWith("x-", StringComparison.Ordinal))
                    continue;
                if (!path.StartsWith('/'))
                    Error(item, paths.Pointer + "/" + path, "a path must start with '/'");
                operations.AddRange(ReadPathItem(ApiOperationKind.Path, path, item));
            }
        }
        else if (_doc.Version != OpenApiVersion.OpenApi31 && paths is null)
            Error(root, "paths", "is required; the document may be truncated");
        var webhooks = new List<ApiOperation>();
        if (root["webhooks"] is { IsObject: true } hooks)
        {
            foreach (var (name, item) in hooks.Properties)
                webhooks.AddRange(ReadPathItem(ApiOperationKind.Webhook, name, item));
        }
        _errors.ThrowIfAny();
        return new ApiContract(_doc)
        {
            Operations = operations,
            Webhooks = webhooks,
            Schemes = ReadSchemes(),
            Servers = ReadServers(out var serversNode),
            ServersNode = serversNode,
        };
    }

    private List<ApiOperation> ReadPathItem(ApiOperationKind kind, string path, ApiNode rawItem)
    {
        var result = new List<ApiOperation>();
        var item = _doc.Deref(rawItem)!;
        if (!item.IsObject)
        {
            Error(item, item.Pointer, "a path item must be a mapping");
            return result;
        }
        var pathParameters = item["parameters"];
        foreach (var method in OperationKeys.Methods)
        {
            if (item[method] is not { } node)
                continue;
            if (!node.IsObject)
            {
                Error(node, node.Pointer, "an operation must be a mapping");
                continue;
            }
            result.Add(ReadOperation(kind, method.ToUpperInvariant(), path, node, item, pathParameters));
        }
        return result;
    }

    private ApiOperation ReadOperation(ApiOperationKind kind, string method, string path, ApiNode node, ApiNode pathItem, ApiNode? pathParameters)
    {
        var (parameters, body) = ReadParameters(kind, path, node, pathParameters);
        if (!_v2 && node["requestBody"] is { } requestBody)
        {
            var rb = _doc.Deref(requestBody)!;
            body = new ApiBody(rb.Bool("required"), rb, ReadContent(rb["content"]));
        }
        return new ApiOperation(kind, method, path, node, pathItem)
        {
            OperationId = node.String("operationId"),
            Deprecated = node.Bool("deprecated"),
            Sunset = ParseDate(node.String("x-sunset")),
            Parameters = parameters,
            RequestBody = body,
            Responses = ReadResponses(node),
            Security = ReadSecurity(node["security"] ?? _doc.Root["security"]),
            Callbacks = kind == ApiOperationKind.Path ? ReadCallbacks(node) : [],
            RateLimits = RateLimitReader.Read(node, pathItem, _doc.Root),
        };
    }

    private (List<ApiParameter> Parameters, ApiBody? Body) ReadParameters(ApiOperationKind kind, string path, ApiNode operation, ApiNode? pathParameters)
    {
        var byKey = new Dictionary<string, ApiParameter>(StringComparer.Ordinal);
        ApiBody? body = null;
        var pathNames = kind == ApiOperationKind.Path ? OperationKeys.PathParameterNames(path) : [];
        foreach (var list in new[] { pathParameters, operation["parameters"] })
        {
            if (list is null)
                continue;
            foreach (var raw in list.Items)
            {
                var p = _doc.Deref(raw)!;
                var name = p.String("name");
                var location = p.String("in");
                if (name is null || location is null)
                {
                    Error(p, p.Pointer, "a parameter needs 'name' and 'in'");
                    continue;
                }
                if (_v2 && location == "body")
                {
                    var consumes = MediaTypes(operation["consumes"] ?? _doc.Root["consumes"]);
                    body = new ApiBody(p.Bool("required"), p, consumes.ToDictionary(m => m, m => new ApiMedia(m, p, p["schema"]), StringComparer.OrdinalIgnoreCase));
                    continue;
                }
                var schema = _v2 ? p : p["schema"] ?? FirstSchema(p["content"]);
                var parameter = new ApiParameter(name, location, p.Bool("required") || location == "path", p, schema)
                {
                    PathIndex = location == "path" ? pathNames.ToList().IndexOf(name) : -1,
                };
                byKey[parameter.MatchKey] = parameter;
            }
        }
        return (byKey.Values.ToList(), body);
    }

    private ApiNode? FirstSchema(ApiNode? content) =>
        content is { IsObject: true } && content.Properties.Count > 0 ? _doc.Deref(content.Properties.Values.First())?["schema"] : null;

    private IReadOnlyDictionary<string, ApiMedia> ReadContent(ApiNode? content)
    {
        var result = new Dictionary<string, ApiMedia>(StringComparer.OrdinalIgnoreCase);
        if (content is not { IsObject: true })
            return result;
        foreach (var (mediaType, raw) in content.Properties)
        {
            var media = _doc.Deref(raw)!;
            result[mediaType] = new ApiMedia(mediaType, media, media["schema"]);
        }
        return result;
    }

    private Dictionary<string, ApiResponse> ReadResponses(ApiNode operation)
    {
        var result = new Dictionary<string, ApiResponse>(StringComparer.OrdinalIgnoreCase);
        if (operation["responses"] is not { IsObject: true } responses)
            return result;
        foreach (var (code, raw) in responses.Properties)
        {
            if (code.StartsWith("x-", StringComparison.Ordinal))
                continue;
            var response = _doc.Deref(raw)!;
            IReadOnlyDictionary<string, ApiMedia> content;
            if (_v2)
            {
                var produces = MediaTypes(operation["produces"] ?? _doc.Root["produces"]);
                content = response["schema"] is { } schema
                    ? produces.ToDictionary(m => m, m => new ApiMedia(m, response, schema), StringComparer.OrdinalIgnoreCase)
                    : new Dictionary<string, ApiMedia>();
            }
            else
                content = ReadContent(response["content"]);
            var headers = new Dictionary<string, ApiHeader>(StringComparer.OrdinalIgnoreCase);
            if (response["headers"] is { IsObject: true } headerNodes)
            {
                foreach (var (name, rawHeader) in headerNodes.Properties)
                {
                    var header = _doc.Deref(rawHeader)!;
                    headers[name] = new ApiHeader(name, header, _v2 ? header : header["schema"] ?? FirstSchema(header["content"]));
                }
            }
            result[code] = new ApiResponse(code, response, content, headers);
        }
        return result;
    }

    private static List<string> MediaTypes(ApiNode? list)
    {
        var types = list?.Items.Select(i => i.Scalar).OfType<string>().ToList() ?? [];
        return types.Count > 0 ? types : ["application/json"];
    }

    private SecurityRequirement ReadSecurity(ApiNode? node)
    {
        if (node is null || node.Kind != ApiNodeKind.Array)
            return SecurityRequirement.None with { Node = node };
        var alternatives = new List<IReadOnlyDictionary<string, IReadOnlyList<string>>>();
        foreach (var alternative in node.Items)
        {
            var schemes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var (name, scopes) in alternative.Properties)
                schemes[name] = scopes.Items.Select(s => s.Scalar).OfType<string>().ToList();
            alternatives.Add(schemes);
        }
        return new SecurityRequirement(alternatives, node);
    }

    private List<ApiCallback> ReadCallbacks(ApiNode operation)
    {
        var result = new List<ApiCallback>();
        if (operation["callbacks"] is not { IsObject: true } callbacks)
            return result;
        foreach (var (name, raw) in callbacks.Properties)
        {
            var callback = _doc.Deref(raw)!;
            foreach (var (expression, item) in callback.Properties)
            {
                if (expression.StartsWith("x-", StringComparison.Ordinal))
                    continue;
                result.Add(new ApiCallback(name, expression, _doc.Deref(item)!, ReadPathItem(ApiOperationKind.Callback, expression, item)));
            }
        }
        return result;
    }

    private List<string> ReadServers(out ApiNode? node)
    {
        var root = _doc.Root;
        if (_v2)
        {
            node = root["host"] ?? root["basePath"];
            if (node is null)
                return [];
            var schemes = root["schemes"]?.Items.Select(s => s.Scalar).OfType<string>().ToList() is { Count: > 0 } s ? s : ["https"];
            var host = root.String("host") ?? "";
            var basePath = root.String("basePath") ?? "";
            return schemes.Select(scheme => $"{scheme}://{host}{basePath}").ToList();
        }
        node = root["servers"];
        return node?.Items.Select(s => s.String("url")).OfType<string>().ToList() ?? [];
    }

    private static DateOnly? ParseDate(string? text)
    {
        if (text is null)
            return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment)
            ? DateOnly.FromDateTime(moment.UtcDateTime)
            : null;
    }

    private void Error(ApiNode node, string field, string message) => _errors.Add(_doc.Locate(node), field, message);
}
