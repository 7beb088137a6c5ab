using System.Globalization;
using Keyshift.Apis.Integrations;
using Microsoft.AspNetCore.Http;

namespace Keyshift.Gateway;

/// <summary>
/// The headers every answer from legacy carries: <c>Deprecation</c> (RFC 9745, a structured-field date
/// <c>@epoch</c>), <c>Sunset</c> (RFC 8594, an HTTP-date) and <c>Link</c> to the migration guide.
/// </summary>
internal sealed class DeprecationHeaders
{
    private readonly string _deprecation;
    private readonly string _sunset;
    private readonly string? _link;

    public DeprecationHeaders(IntegrationConfig integration)
    {
        var deprecated = (integration.Deprecation ?? integration.Sunset).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        _deprecation = "@" + new DateTimeOffset(deprecated).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        _sunset = new DateTimeOffset(integration.Sunset.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)).ToString("r", CultureInfo.InvariantCulture);
        if (integration.Guide is { } guide)
            _link = $"<{guide.AbsoluteUri}>; rel=\"sunset\", <{guide.AbsoluteUri}>; rel=\"deprecation\"";
        Lines = System.Text.Encoding.ASCII.GetBytes($"Deprecation: {_deprecation}\r\nSunset: {_sunset}\r\n" + (_link is null ? "" : $"Link: {_link}\r\n"));
    }

    /// <summary>The same headers as lines of an HTTP/1.1 head (the fast lane writes heads itself).</summary>
    public byte[] Lines { get; }

    public void Apply(IHeaderDictionary headers)
    {
        headers["Deprecation"] = _deprecation;
        headers["Sunset"] = _sunset;
        if (_link is not null)
            headers.Append("Link", _link);
    }
}
