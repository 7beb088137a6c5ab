namespace Keyshift.Apis.Diff;

/// <summary>Every check <c>api diff</c> runs. Ids are stable: rules files and CI suppressions refer to them.</summary>
internal static class ApiChecks
{
    private const Severity B = Severity.Breaking;
    private const Severity W = Severity.Warning;
    private const Severity I = Severity.Info;

    // Paths and operations
    public static readonly ApiCheck PathRemoved = new("KS-API-001", "path-removed", B, "A path and all its operations were removed.", Removal: true);
    public static readonly ApiCheck OperationRemoved = new("KS-API-002", "operation-removed", B, "An operation (method) was removed from a path that remains.", Removal: true);
    public static readonly ApiCheck OperationRenamed = new("KS-API-003", "operation-renamed", B, "An operation moved to a new path (same operationId or same shape).");
    public static readonly ApiCheck OperationAdded = new("KS-API-004", "operation-added", I, "A new operation.");
    public static readonly ApiCheck OperationIdChanged = new("KS-API-005", "operation-id-changed", W, "The operationId changed; generated clients rename the method.");
    public static readonly ApiCheck ServerChanged = new("KS-API-006", "server-url-changed", W, "The base URLs (servers, or host/basePath) changed.");

    // Responses and media types
    public static readonly ApiCheck SuccessResponseRemoved = new("KS-API-010", "response-success-code-removed", B, "A success (2xx/3xx/default) response code was removed.", Removal: true);
    public static readonly ApiCheck ErrorResponseRemoved = new("KS-API-011", "response-error-code-removed", W, "An error response code was removed.", Removal: true);
    public static readonly ApiCheck ResponseMediaTypeRemoved = new("KS-API-012", "response-media-type-removed", B, "A response media type was removed.", Removal: true);
    public static readonly ApiCheck RequestMediaTypeRemoved = new("KS-API-013", "request-media-type-removed", B, "A request body media type is no longer accepted.", Removal: true);
    public static readonly ApiCheck ResponseCodeAdded = new("KS-API-014", "response-code-added", I, "A new response code.");
    public static readonly ApiCheck MediaTypeAdded = new("KS-API-015", "media-type-added", I, "A new request or response media type.");
    public static readonly ApiCheck ResponseHeaderRemoved = new("KS-API-016", "response-header-removed", W, "A documented response header was removed.", Removal: true);

    // Parameters
    public static readonly ApiCheck ParameterRemoved = new("KS-API-020", "parameter-removed", W, "A parameter was removed; the API ignores it now.", Removal: true);
    public static readonly ApiCheck ParameterRenamed = new("KS-API-021", "parameter-renamed", B, "A parameter was replaced by one with another name and the same type.");
    public static readonly ApiCheck ParameterMoved = new("KS-API-022", "parameter-moved", B, "A parameter moved to another location (`in`: query, header, path, cookie).");
    public static readonly ApiCheck ParameterMadeRequired = new("KS-API-023", "parameter-made-required", B, "An optional parameter became required.");
    public static readonly ApiCheck RequiredParameterAdded = new("KS-API-024", "required-parameter-added", B, "A new required parameter.");
    public static readonly ApiCheck OptionalParameterAdded = new("KS-API-025", "optional-parameter-added", I, "A new optional parameter.");

    // Values clients send (parameters and request body properties)
    public static readonly ApiCheck TypeNarrowed = new("KS-API-030", "type-narrowed", B, "A value clients send accepts fewer types.");
    public static readonly ApiCheck FormatNarrowed = new("KS-API-031", "format-narrowed", B, "A value clients send must now have a (different) format.");
    public static readonly ApiCheck EnumValueRemoved = new("KS-API-032", "enum-value-removed", B, "A value clients send accepts fewer enum values.");
    public static readonly ApiCheck MaximumLowered = new("KS-API-033", "maximum-lowered", B, "A value clients send has a lower maximum.");
    public static readonly ApiCheck MinimumRaised = new("KS-API-034", "minimum-raised", B, "A value clients send has a higher minimum.");
    public static readonly ApiCheck MaxLengthLowered = new("KS-API-035", "max-length-lowered", B, "A string clients send has a lower maxLength.");
    public static readonly ApiCheck MinLengthRaised = new("KS-API-036", "min-length-raised", B, "A string clients send has a higher minLength.");
    public static readonly ApiCheck PatternAdded = new("KS-API-037", "pattern-added", B, "A string clients send must match a new or different pattern.");
    public static readonly ApiCheck MaxItemsLowered = new("KS-API-038", "max-items-lowered", B, "An array clients send has a lower maxItems.");
    public static readonly ApiCheck ConstraintRelaxed = new("KS-API-039", "constraint-relaxed", I, "A value clients send accepts more (wider type, more enum values, looser limits).");

    // Request bodies
    public static readonly ApiCheck RequestBodyMadeRequired = new("KS-API-040", "request-body-made-required", B, "A request body is now required.");
    public static readonly ApiCheck RequiredRequestPropertyAdded = new("KS-API-041", "required-request-property-added", B, "A new required property in a request body.");
    public static readonly ApiCheck RequestPropertyMadeRequired = new("KS-API-042", "request-property-made-required", B, "An optional request body property became required.");
    public static readonly ApiCheck RequestPropertyRemoved = new("KS-API-043", "request-property-removed", W, "A request body property was removed; the API ignores or rejects it.", Removal: true);
    public static readonly ApiCheck OptionalRequestPropertyAdded = new("KS-API-044", "optional-request-property-added", I, "A new optional request body property.");

    // Responses
    public static readonly ApiCheck ResponsePropertyRemoved = new("KS-API-050", "response-property-removed", B, "A response property was removed.", Removal: true);
    public static readonly ApiCheck ResponsePropertyMadeOptional = new("KS-API-051", "response-property-made-optional", B, "A required response property became optional.");
    public static readonly ApiCheck ResponseTypeChanged = new("KS-API-052", "response-type-changed", B, "A response value has a type clients did not expect.");
    public static readonly ApiCheck ResponseEnumValueAdded = new("KS-API-053", "response-enum-value-added", W, "A response value may hold new enum values; strict clients break.");
    public static readonly ApiCheck ResponsePropertyAdded = new("KS-API-054", "response-property-added", I, "A new response property.");

    // Security
    public static readonly ApiCheck SecurityRequirementAdded = new("KS-API-060", "security-requirement-added", B, "An operation that needed no credentials now requires them.");
    public static readonly ApiCheck SecurityRequirementChanged = new("KS-API-061", "security-requirement-changed", B, "An operation requires different credentials (scheme replaced).");
    public static readonly ApiCheck SecurityRequirementRemoved = new("KS-API-062", "security-requirement-removed", W, "An operation no longer requires credentials.");
    public static readonly ApiCheck SecurityScopeAdded = new("KS-API-063", "security-scope-added", B, "A requirement asks for more OAuth2/OpenID Connect scopes.");
    public static readonly ApiCheck SchemeTypeChanged = new("KS-API-064", "security-scheme-type-changed", B, "A security scheme changed type (apiKey, http, oauth2, openIdConnect, mutualTLS).");
    public static readonly ApiCheck ApiKeyNameChanged = new("KS-API-065", "api-key-name-changed", B, "An API key is sent under another name.");
    public static readonly ApiCheck ApiKeyLocationChanged = new("KS-API-066", "api-key-location-changed", B, "An API key is sent in another place (header, query, cookie).");
    public static readonly ApiCheck HttpSchemeChanged = new("KS-API-067", "http-scheme-changed", B, "The HTTP authentication scheme changed (e.g. basic → bearer).");
    public static readonly ApiCheck BearerFormatChanged = new("KS-API-068", "bearer-format-changed", W, "The documented bearer token format changed.");
    public static readonly ApiCheck OAuthFlowRemoved = new("KS-API-069", "oauth2-flow-removed", B, "An OAuth2 flow was removed from a scheme.", Removal: true);
    public static readonly ApiCheck OAuthFlowAdded = new("KS-API-070", "oauth2-flow-added", I, "A new OAuth2 flow.");
    public static readonly ApiCheck TokenUrlChanged = new("KS-API-071", "oauth2-token-url-changed", B, "Clients must request tokens from another URL.");
    public static readonly ApiCheck AuthorizationUrlChanged = new("KS-API-072", "oauth2-authorization-url-changed", B, "The OAuth2 authorization URL changed.");
    public static readonly ApiCheck RefreshUrlChanged = new("KS-API-073", "oauth2-refresh-url-changed", W, "The OAuth2 refresh URL changed.");
    public static readonly ApiCheck OAuthScopeRemoved = new("KS-API-074", "oauth2-scope-removed", B, "A scope was removed from a scheme; tokens cannot be requested with it.", Removal: true);
    public static readonly ApiCheck OpenIdConnectUrlChanged = new("KS-API-075", "openid-connect-url-changed", B, "The OpenID Connect discovery URL changed.");
    public static readonly ApiCheck MutualTlsRequired = new("KS-API-076", "mutual-tls-required", B, "Clients must now present a client certificate (mutual TLS).");

    // Rate limits
    public static readonly ApiCheck RateLimitLowered = new("KS-API-080", "rate-limit-lowered", B, "A documented rate limit (x-rate-limit, x-ratelimit-*) was lowered.");
    public static readonly ApiCheck RateLimitAdded = new("KS-API-081", "rate-limit-added", W, "An operation without a documented rate limit now has one.");
    public static readonly ApiCheck RateLimitRemoved = new("KS-API-082", "rate-limit-removed", I, "A documented rate limit was removed.", Removal: true);
    public static readonly ApiCheck RateLimitHeaderRemoved = new("KS-API-083", "rate-limit-header-removed", W, "A rate-limit response header (X-RateLimit-*, RateLimit-*, Retry-After) is no longer documented.", Removal: true);
    public static readonly ApiCheck RateLimitHeaderAdded = new("KS-API-084", "rate-limit-header-added", I, "A rate-limit response header is now documented.");
    public static readonly ApiCheck RateLimitRaised = new("KS-API-085", "rate-limit-raised", I, "A documented rate limit was raised.");

    // Callbacks and webhooks
    public static readonly ApiCheck CallbackRemoved = new("KS-API-090", "callback-removed", B, "The API no longer sends a callback.", Removal: true);
    public static readonly ApiCheck CallbackAdded = new("KS-API-091", "callback-added", I, "A new callback.");
    public static readonly ApiCheck WebhookRemoved = new("KS-API-092", "webhook-removed", B, "The API no longer sends a webhook.", Removal: true);
    public static readonly ApiCheck WebhookAdded = new("KS-API-093", "webhook-added", I, "A new webhook.");

    // Deprecation
    public static readonly ApiCheck OperationDeprecated = new("KS-API-100", "operation-deprecated", I, "An operation is now deprecated.");
    public static readonly ApiCheck SunsetAnnounced = new("KS-API-101", "sunset-announced", W, "An operation got an x-sunset date, or its date moved earlier.");
    public static readonly ApiCheck RemovedBeforeSunset = new("KS-API-102", "removed-before-sunset", B, "An operation was removed before the x-sunset date it announced.", Removal: true);
    public static readonly ApiCheck RemovedAfterSunset = new("KS-API-103", "removed-after-sunset", W, "An operation was removed after its announced x-sunset date.", Removal: true);
    public static readonly ApiCheck SunsetPostponed = new("KS-API-104", "sunset-postponed", I, "An operation's x-sunset date moved later.");

    // Rules file
    public static readonly ApiCheck UnusedIgnore = new("KS-API-900", "unused-ignore", I, "An ignore in the rules file matched no change.");

    public static IReadOnlyList<ApiCheck> All { get; } = typeof(ApiChecks)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ApiCheck))
        .Select(f => (ApiCheck)f.GetValue(null)!)
        .OrderBy(c => c.Id, StringComparer.Ordinal)
        .ToList();

    public static ApiCheck? Find(string idOrName) =>
        All.FirstOrDefault(c => c.Id.Equals(idOrName, StringComparison.OrdinalIgnoreCase) || c.Name.Equals(idOrName, StringComparison.OrdinalIgnoreCase));
}
