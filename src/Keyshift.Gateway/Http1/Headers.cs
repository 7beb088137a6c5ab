using System.Text;

namespace Keyshift.Gateway.Http1;

/// <summary>Header names the lane treats specially, compared as bytes without allocating.</summary>
internal static class Headers
{
    // The same names as the full pipeline's (HopByHop, Forwarder), as bytes.
    private static readonly byte[][] HopByHopNames = [.. HopByHop.Names.Select(Encoding.ASCII.GetBytes)];
    private static readonly byte[][] ForwardingNames = [.. Forwarder.ForwardingNames.Select(Encoding.ASCII.GetBytes)];

    /// <summary>Connection-scoped (RFC 9110 §7.6.1): the fixed set, <c>Proxy-*</c>, and what the message's Connection header names.</summary>
    public static bool IsHopByHop(ReadOnlySpan<byte> name, HashSet<string>? connectionNamed)
    {
        foreach (var fixedName in HopByHopNames)
        {
            if (name.Length == fixedName.Length && Ascii.EqualsIgnoreCase(name, fixedName))
                return true;
        }
        if (name.Length > 6 && Ascii.EqualsIgnoreCase(name[..6], "Proxy-"u8))
            return true;
        return connectionNamed is not null && connectionNamed.Contains(Encoding.ASCII.GetString(name));
    }

    public static bool IsForwarding(ReadOnlySpan<byte> name)
    {
        foreach (var forwarding in ForwardingNames)
        {
            if (name.Length == forwarding.Length && Ascii.EqualsIgnoreCase(name, forwarding))
                return true;
        }
        return false;
    }

    /// <summary>The headers the gateway sets on every legacy answer itself (an upstream's own are replaced).</summary>
    public static bool IsDeprecation(ReadOnlySpan<byte> name) => Ascii.EqualsIgnoreCase(name, "Deprecation"u8) || Ascii.EqualsIgnoreCase(name, "Sunset"u8);
}
