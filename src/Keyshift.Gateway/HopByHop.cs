using Microsoft.Extensions.Primitives;

namespace Keyshift.Gateway;

/// <summary>Headers that belong to one connection (RFC 9110 §7.6.1) and must not be forwarded.</summary>
internal static class HopByHop
{
    private static readonly HashSet<string> Fixed = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
        "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
    };

    /// <summary>The fixed set (the fast lane compares them as bytes).</summary>
    public static IReadOnlyCollection<string> Names => Fixed;

    /// <summary>The fixed set plus every header the <c>Connection</c> header names.</summary>
    public static HashSet<string> For(StringValues connection)
    {
        // Most requests carry no Connection header or only keep-alive/close: share the fixed set (read-only).
        if (connection.Count == 0 || connection.All(v => string.IsNullOrEmpty(v) || v.Equals("keep-alive", StringComparison.OrdinalIgnoreCase) || v.Equals("close", StringComparison.OrdinalIgnoreCase)))
            return Fixed;
        var set = new HashSet<string>(Fixed, StringComparer.OrdinalIgnoreCase);
        foreach (var value in connection)
        {
            foreach (var token in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                set.Add(token);
        }
        return set;
    }

    public static bool IsHopByHop(string name, HashSet<string> set) =>
        set.Contains(name) || name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase);
}
