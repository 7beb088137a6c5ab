using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Contracts;

/// <summary>One operation (method + path, webhook or callback request) with everything the checks compare.</summary>
internal sealed record ApiOperation(ApiOperationKind Kind, string Method, string Path, ApiNode Node, ApiNode PathItem)
{
    public string? OperationId { get; init; }

    public bool Deprecated { get; init; }

    /// <summary>The <c>x-sunset</c> date, when it parses as a date.</summary>
    public DateOnly? Sunset { get; init; }

    public IReadOnlyList<ApiParameter> Parameters { get; init; } = [];

    public ApiBody? RequestBody { get; init; }

    public IReadOnlyDictionary<string, ApiResponse> Responses { get; init; } = new Dictionary<string, ApiResponse>();

    public SecurityRequirement Security { get; init; } = SecurityRequirement.None;

    public IReadOnlyList<ApiCallback> Callbacks { get; init; } = [];

    public IReadOnlyList<RateLimit> RateLimits { get; init; } = [];

    /// <summary>How consumers name the operation: <c>GET /charges/{id}</c>, <c>webhook orderPaid</c>.</summary>
    public string Key => Kind switch
    {
        ApiOperationKind.Webhook => $"webhook {Path}",
        _ => $"{Method} {Path}",
    };

    /// <summary>The key with path parameter names blanked, so <c>/charges/{id}</c> and <c>/charges/{chargeId}</c> match.</summary>
    public string MatchKey => Kind switch
    {
        ApiOperationKind.Webhook => $"webhook {Path} {Method}",
        _ => $"{Method} {OperationKeys.NormalizePath(Path)}",
    };

    public string Display => Kind switch
    {
        ApiOperationKind.Webhook => $"webhook {Path} ({Method})",
        _ => Key,
    };
}
