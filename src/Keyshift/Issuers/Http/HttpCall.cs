using Keyshift.Configuration;

namespace Keyshift.Issuers.Http;

/// <summary>One templated admin API call: method, path (relative to the issuer's url), optional JSON body, and where to find values in the reply.</summary>
public sealed record HttpCall
{
    public required HttpMethod Method { get; init; }

    public required string Path { get; init; }

    public string? Body { get; init; }

    /// <summary>JSONPath of the new secret in the reply (create).</summary>
    public string? Key { get; init; }

    /// <summary>JSONPath of the key's id in the reply (create, find).</summary>
    public string? Id { get; init; }

    /// <summary>Reads a call section (<c>create:</c>, <c>revoke:</c>, <c>find:</c>); reports problems with file, line and field.</summary>
    public static HttpCall? Read(Settings parent, string name, bool required, string defaultMethod, params string[] needs)
    {
        var s = parent.Section(name);
        if (s is null)
        {
            if (required && !parent.Has(name))
                parent.Error(name, $"is required ({name}: {{ method, path{(needs.Length > 0 ? ", " + string.Join(", ", needs) : "")} }})");
            return null;
        }
        s.AllowOnly("method", "path", "body", "key", "id");
        var method = s.String("method") ?? defaultMethod;
        if (method is not ("GET" or "POST" or "PUT" or "PATCH" or "DELETE"))
            s.Error("method", $"'{method}' is not GET, POST, PUT, PATCH or DELETE");
        var path = s.RequireString("path");
        foreach (var jsonPath in new[] { "key", "id" })
        {
            if (s.String(jsonPath) is { } p && !JsonPathLite.IsValid(p))
                s.Error(jsonPath, $"'{p}' is not a supported JSONPath ($.a.b[0], $['a b'])");
        }
        foreach (var need in needs)
        {
            if (!s.Has(need))
                s.Error(need, "is required here");
        }
        return new HttpCall { Method = new HttpMethod(method), Path = path, Body = s.String("body"), Key = s.String("key"), Id = s.String("id") };
    }
}
