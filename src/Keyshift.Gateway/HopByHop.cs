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

    /// <summary>The fixed set plus every header the <c>Connection</c> header names.</summary>
    public static HashSet<string> For(StringValues connection)
    {
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
