using Keyshift.Secrets;

namespace Keyshift.Stores.Bundle;

/// <summary>
/// How an export names an address inside a bundle: <c>STORE/LOCAL</c>, so <c>legacy:DB_PASSWORD</c>
/// becomes <c>legacy/DB_PASSWORD</c> and <c>vault:payments/db#password</c> becomes
/// <c>vault/payments/db#password</c>. Store names hold neither <c>/</c> nor <c>:</c>, so splitting at the
/// first <c>/</c> gives the address back.
/// </summary>
internal static class BundleEntryKey
{
    public static string For(SecretAddress address) => $"{address.Store}/{address.Local}";

    /// <summary>The address an entry key names, or null when it is not <c>STORE/LOCAL</c>.</summary>
    public static SecretAddress? TryRestore(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1)
            return null;
        return SecretAddress.TryParse($"{key[..slash]}:{key[(slash + 1)..]}", out _);
    }

    /// <summary>Why a store name cannot take part in the mapping, or null.</summary>
    public static string? CheckStoreName(string name) =>
        name.Contains('/', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal) || name.Contains('#', StringComparison.Ordinal)
            ? $"store name '{name}' holds '/', ':' or '#', so its addresses cannot be named in a bundle"
            : null;
}
