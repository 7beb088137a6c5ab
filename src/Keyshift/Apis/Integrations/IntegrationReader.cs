using System.Globalization;
using System.Net;
using Keyshift.Configuration;

namespace Keyshift.Apis.Integrations;

/// <summary>
/// Reads <c>gateway:</c> and <c>integrations:</c> from a loaded config, reporting every problem with file,
/// line and field; throws <see cref="BadInputException"/> when there is any.
/// </summary>
public static class IntegrationReader
{
    private static readonly string[] Modes = ["observe", "shadow", "shift", "new"];

    public static IntegrationSet Read(KeyshiftConfig config)
    {
        // Sections report into the loader's error list; read it from them so nothing is missed.
        var errors = config.Sections.Where(s => s.Key is "gateway" or "integrations").Select(s => s.Value.Errors).FirstOrDefault() ?? new ErrorList();
        var gateway = config.Sections.TryGetValue("gateway", out var g) ? ReadGateway(g, errors) : new GatewaySettings();
        var integrations = new List<IntegrationConfig>();
        if (config.Sections.TryGetValue("integrations", out var section))
        {
            foreach (var name in section.Keys)
            {
                if (section.Section(name) is { } s && ReadIntegration(name, s, config, errors) is { } integration)
                    integrations.Add(integration);
            }
        }
        errors.ThrowIfAny();
        return new IntegrationSet { Gateway = gateway, Integrations = integrations };
    }

    private static GatewaySettings ReadGateway(Settings s, ErrorList errors)
    {
        s.AllowOnly("listen", "admin", "flushInterval", "timeout", "shadowQueue", "protocols", "tls");
        var result = new GatewaySettings();
        if (Endpoint(s, "listen") is { } listen)
            result = result with { Listen = listen };
        if (Endpoint(s, "admin") is { } admin)
            result = result with { Admin = admin };
        if (s.Duration("flushInterval") is { } flush)
            result = result with { FlushInterval = flush };
        if (s.Duration("timeout") is { } timeout)
            result = result with { Timeout = timeout };
        if (s.String("protocols") is { } protocols)
        {
            if (protocols is "http1" or "http2" or "http1and2")
                result = result with { Protocols = protocols };
            else
                s.Error("protocols", $"expected http1, http2 or http1and2, got '{protocols}'");
        }
        if (s.Int("shadowQueue", 1, 1_000_000) is { } queue)
            result = result with { ShadowQueue = queue };
        if (s.Section("tls") is { } tls)
        {
            tls.AllowOnly("certificate", "privateKey");
            if (!tls.Has("certificate") || !tls.Has("privateKey"))
                tls.Error(tls.Has("certificate") ? "privateKey" : "certificate", "is required: the listener's certificate needs its private key");
            result = result with { TlsCertificate = tls.Credential("certificate"), TlsPrivateKey = tls.Credential("privateKey") };
        }
        if (!errors.Any && result.Listen == result.Admin && !result.Listen.EndsWith(":0", StringComparison.Ordinal))
            s.Error("admin", "must differ from listen: metrics and health are served on their own port");
        return result;
    }

    private static string? Endpoint(Settings s, string key)
    {
        var text = s.String(key);
        if (text is null)
            return null;
        if (IPEndPoint.TryParse(text, out var endpoint) && text.Contains(':', StringComparison.Ordinal) && endpoint.Port is >= 0 and <= 65535)
            return text;
        s.Error(key, $"expected an address and port such as 127.0.0.1:8080, got '{text}'");
        return null;
    }

    private static IntegrationConfig? ReadIntegration(string name, Settings s, KeyshiftConfig config, ErrorList errors)
    {
        s.AllowOnly("mode", "weight", "legacy", "new", "consumers", "sunset", "deprecation", "guide", "mirrorUnsafe", "compareHeaders", "noiseSamples", "rollback");
        var before = errors.Items.Count;
        var modeText = s.String("mode") ?? "observe";
        var mode = Array.IndexOf(Modes, modeText) switch
        {
            0 => IntegrationMode.Observe,
            1 => IntegrationMode.Shadow,
            2 => IntegrationMode.Shift,
            3 => IntegrationMode.New,
            _ => Bad(s, "mode", $"expected one of {string.Join(", ", Modes)}, got '{modeText}'", IntegrationMode.Observe),
        };
        var weight = s.Int("weight", 0, 100) ?? 0;
        var legacy = ReadEndpoint(s, "legacy", legacySide: true);
        var @new = ReadEndpoint(s, "new", legacySide: false);
        var sunset = Date(s, "sunset", required: true);
        var deprecation = Date(s, "deprecation", required: false);
        if (sunset is { } sun && deprecation is { } dep && dep > sun)
            s.Error("deprecation", "must not be after the sunset date");
        Uri? guide = null;
        if (s.String("guide") is { } guideText && !(Uri.TryCreate(guideText, UriKind.Absolute, out guide) && guide.Scheme is "http" or "https"))
        {
            s.Error("guide", $"expected an http(s) URL, got '{guideText}'");
            guide = null;
        }
        var consumers = ReadConsumers(s, @new, mode, config);
        var rollback = new ShiftRollback();
        if (s.Section("rollback") is { } r)
        {
            r.AllowOnly("window", "minRequests", "errorRate", "diffRate");
            rollback = new ShiftRollback
            {
                Window = r.Int("window", 1, 100_000) ?? rollback.Window,
                MinRequests = r.Int("minRequests", 1, 100_000) ?? rollback.MinRequests,
                ErrorRate = r.Int("errorRate", 0, 100) ?? rollback.ErrorRate,
                DiffRate = r.Int("diffRate", 1, 100),
            };
        }
        if (errors.Items.Count > before || legacy is null || @new is null || sunset is null)
            return null;
        return new IntegrationConfig
        {
            Name = name,
            Mode = mode,
            Weight = weight,
            Legacy = legacy,
            New = @new,
            Consumers = consumers,
            Sunset = sunset.Value,
            Deprecation = deprecation,
            Guide = guide,
            MirrorUnsafe = s.Bool("mirrorUnsafe") ?? false,
            CompareHeaders = s.StringList("compareHeaders") ?? ["Content-Type"],
            NoiseSamples = s.Int("noiseSamples", 0, 1000) ?? 3,
            Rollback = rollback,
        };
    }

    private static IntegrationEndpoint? ReadEndpoint(Settings parent, string key, bool legacySide)
    {
        if (!parent.Has(key))
        {
            parent.Errors.Add(parent.Location, parent.Field(key), "is required");
            return null;
        }
        if (parent.Section(key) is not { } s)
            return null;
        s.AllowOnly("url", "auth");
        var urlText = s.RequireString("url");
        Uri? url = null;
        if (urlText.Length > 0 && !(Uri.TryCreate(urlText, UriKind.Absolute, out url) && url.Scheme is "http" or "https"))
        {
            s.Error("url", $"expected an http(s) URL, got '{urlText}'");
            url = null;
        }
        var auth = new EndpointAuth();
        if (s.Section("auth") is { } a)
            auth = ReadAuth(a, legacySide);
        return url is null ? null : new IntegrationEndpoint { Url = url, Auth = auth };
    }

    private static EndpointAuth ReadAuth(Settings s, bool legacySide)
    {
        s.AllowOnly("type", "header", "query", "tokenUrl", "scopes", "resource", "certificate", "privateKey", "ca");
        var typeText = s.RequireString("type");
        var type = typeText switch
        {
            "none" => EndpointAuthType.None,
            "api-key" => EndpointAuthType.ApiKey,
            "basic" => EndpointAuthType.Basic,
            "bearer" => EndpointAuthType.Bearer,
            "oauth2" => EndpointAuthType.OAuth2,
            "mtls" => EndpointAuthType.Mtls,
            "" => EndpointAuthType.None,
            _ => Bad(s, "type", $"expected one of none, api-key, basic, bearer, oauth2, mtls, got '{typeText}'", EndpointAuthType.None),
        };
        var header = s.String("header");
        var query = s.String("query");
        if (header is not null && query is not null)
            s.Error("query", "give header or query, not both");
        Uri? tokenUrl = null;
        if (type == EndpointAuthType.OAuth2)
        {
            if (legacySide)
                s.Error("type", "the legacy side identifies consumers by their key: use api-key, basic or bearer");
            var text = s.RequireString("tokenUrl");
            if (text.Length > 0 && !(Uri.TryCreate(text, UriKind.Absolute, out tokenUrl) && tokenUrl.Scheme is "http" or "https"))
            {
                s.Error("tokenUrl", $"expected an http(s) URL, got '{text}'");
                tokenUrl = null;
            }
        }
        else if (legacySide && type == EndpointAuthType.Mtls)
        {
            s.Error("type", "the legacy side identifies consumers by their key: use api-key, basic or bearer");
        }
        else if (type != EndpointAuthType.Mtls && (s.Has("certificate") || s.Has("privateKey") || s.Has("ca")))
        {
            s.Error(s.Has("certificate") ? "certificate" : s.Has("privateKey") ? "privateKey" : "ca", "belongs to type: mtls");
        }
        else if (type == EndpointAuthType.Mtls && s.Has("certificate") != s.Has("privateKey"))
        {
            s.Error(s.Has("certificate") ? "privateKey" : "certificate", "is required with the other: a client certificate needs its private key");
        }
        else if (legacySide && type == EndpointAuthType.None)
        {
            s.Error("type", "the legacy side needs a credential that identifies the consumer: api-key, basic or bearer");
        }
        return new EndpointAuth
        {
            Type = type,
            Header = type == EndpointAuthType.ApiKey && header is null && query is null ? "X-API-Key" : header,
            Query = query,
            TokenUrl = tokenUrl,
            Scopes = s.StringList("scopes") ?? [],
            Resource = s.String("resource"),
            Certificate = s.Credential("certificate"),
            PrivateKey = s.Credential("privateKey"),
            Ca = s.Credential("ca"),
        };
    }

    private static List<IntegrationConsumer> ReadConsumers(Settings s, IntegrationEndpoint? @new, IntegrationMode mode, KeyshiftConfig config)
    {
        var result = new List<IntegrationConsumer>();
        if (s.Section("consumers") is not { } consumers)
            return result;
        foreach (var name in consumers.Keys)
        {
            if (consumers.Section(name) is not { } c)
                continue;
            c.AllowOnly("legacyKey", "clientId", "clientSecret", "pin", "certificate", "privateKey");
            var legacyKey = c.Credential("legacyKey");
            if (!c.Has("legacyKey"))
                c.Errors.Add(c.Location, c.Field("legacyKey"), "is required: the legacy key identifies the consumer at the gateway");
            var clientId = c.String("clientId");
            var clientSecret = c.Credential("clientSecret");
            if (@new?.Auth.Type == EndpointAuthType.OAuth2 && mode != IntegrationMode.Observe && (clientId is null || !c.Has("clientSecret")))
                c.Errors.Add(c.Location, c.Field(clientId is null ? "clientId" : "clientSecret"), "is required: the new endpoint uses OAuth2 client credentials");
            var certificate = c.Credential("certificate");
            var privateKey = c.Credential("privateKey");
            if (c.Has("certificate") != c.Has("privateKey"))
                c.Error(c.Has("certificate") ? "privateKey" : "certificate", "is required with the other: a client certificate needs its private key");
            else if (@new?.Auth.Type == EndpointAuthType.Mtls && mode != IntegrationMode.Observe && !c.Has("certificate") && @new.Auth.Certificate is null)
                c.Errors.Add(c.Location, c.Field("certificate"), "is required: the new endpoint uses mutual TLS (or give new.auth.certificate for every consumer)");
            else if (@new?.Auth.Type != EndpointAuthType.Mtls && c.Has("certificate"))
                c.Error("certificate", "belongs to a new endpoint with auth type: mtls");
            CheckStore(c, "certificate", certificate, config);
            CheckStore(c, "privateKey", privateKey, config);
            var pin = c.String("pin");
            if (pin is not null and not "legacy" and not "new")
                c.Error("pin", $"expected legacy or new, got '{pin}'");
            CheckStore(c, "legacyKey", legacyKey, config);
            CheckStore(c, "clientSecret", clientSecret, config);
            if (legacyKey is not null)
                result.Add(new IntegrationConsumer { Name = name, LegacyKey = legacyKey, ClientId = clientId, ClientSecret = clientSecret, Pin = pin, Certificate = certificate, PrivateKey = privateKey });
        }
        return result;
    }

    private static void CheckStore(Settings s, string key, CredentialReference? reference, KeyshiftConfig config)
    {
        if (reference is { Kind: "store" } && !config.Stores.ContainsKey(Secrets.SecretAddress.Parse(reference.Target).Store))
            s.Error(key, $"names store '{Secrets.SecretAddress.Parse(reference.Target).Store}', which is not declared under stores");
    }

    private static DateOnly? Date(Settings s, string key, bool required)
    {
        var text = required ? s.RequireString(key) : s.String(key);
        if (string.IsNullOrEmpty(text))
            return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        s.Error(key, $"expected a date such as 2027-03-31, got '{text}'");
        return null;
    }

    private static T Bad<T>(Settings s, string key, string message, T fallback)
    {
        s.Error(key, message);
        return fallback;
    }
}
