using System.Net.Http.Headers;
using System.Text;
using Keyshift.Apis.Integrations;
using Keyshift.Secrets;
using Microsoft.AspNetCore.Http;

namespace Keyshift.Gateway;

/// <summary>Where the legacy scheme carries the credential in a request, to read it and to keep it from the new endpoint.</summary>
internal static class LegacyCredential
{
    public static SecretValue? Read(HttpRequest request, EndpointAuth auth)
    {
        if (auth.Type == EndpointAuthType.ApiKey && auth.Query is { } query)
            return request.Query.TryGetValue(query, out var q) && q.Count > 0 && !string.IsNullOrEmpty(q[0]) ? SecretValue.FromUtf8(q[0]!) : null;
        return CarrierHeader(auth) is { } header ? Parse(auth, request.Headers[header].ToString()) : null;
    }

    /// <summary>The header that carries the legacy credential; null when it travels in the query (or there is none).</summary>
    public static string? CarrierHeader(EndpointAuth auth) => auth.Type switch
    {
        EndpointAuthType.ApiKey when auth.Query is null => auth.Header ?? "X-API-Key",
        EndpointAuthType.Bearer or EndpointAuthType.Basic => "Authorization",
        _ => null,
    };

    /// <summary>The credential in the value of the <see cref="CarrierHeader"/>, or null.</summary>
    public static SecretValue? Parse(EndpointAuth auth, string? carried)
    {
        if (string.IsNullOrEmpty(carried))
            return null;
        switch (auth.Type)
        {
            case EndpointAuthType.ApiKey:
                return SecretValue.FromUtf8(carried);
            case EndpointAuthType.Bearer:
                return Scheme(carried, "Bearer") is { } bearer ? SecretValue.FromUtf8(bearer) : null;
            case EndpointAuthType.Basic:
                // The whole user:password pair identifies a basic-auth consumer.
                if (Scheme(carried, "Basic") is not { } basic)
                    return null;
                try
                {
                    return SecretValue.FromBytes(Convert.FromBase64String(basic));
                }
                catch (FormatException)
                {
                    return null;
                }
            default:
                return null;
        }
    }

    /// <summary>True when the header carries the legacy credential and must not reach the new endpoint.</summary>
    public static bool IsCredentialHeader(string name, EndpointAuth auth) =>
        CarrierHeader(auth) is { } header && string.Equals(name, header, StringComparison.OrdinalIgnoreCase);

    /// <summary>The query string without the legacy key parameter (when the key travels in the query).</summary>
    public static string QueryWithout(HttpRequest request, EndpointAuth auth)
    {
        if (auth.Type != EndpointAuthType.ApiKey || auth.Query is null || !request.QueryString.HasValue)
            return request.QueryString.Value ?? "";
        var kept = request.Query.Where(p => !string.Equals(p.Key, auth.Query, StringComparison.Ordinal))
            .SelectMany(p => p.Value.Select(v => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(v ?? "")));
        var text = string.Join('&', kept);
        return text.Length == 0 ? "" : "?" + text;
    }

    private static string? Scheme(string header, string scheme)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var parsed) || !string.Equals(parsed.Scheme, scheme, StringComparison.OrdinalIgnoreCase))
            return null;
        return string.IsNullOrEmpty(parsed.Parameter) ? null : parsed.Parameter;
    }

    /// <summary>RFC 6749 §2.3.1: client id and secret, each form-url-encoded, as HTTP basic credentials.</summary>
    public static string BasicClientAuth(string clientId, SecretValue secret) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(clientId) + ":" + Uri.EscapeDataString(secret.RevealUtf8())));
}
