namespace Keyshift.Secrets;

/// <summary>
/// Where a secret lives: <c>store:KEY</c> in a flat store, <c>store:a/b#key</c> in a nested one
/// (<c>a/b</c> is the map, <c>key</c> its leaf), <c>store:a/b</c> for the map itself.
/// </summary>
public sealed record SecretAddress(string Store, string Path, string? Key = null)
{
    /// <summary>Parses <c>store:path[#key]</c>; returns null and a reason when the text is not an address.</summary>
    public static SecretAddress? TryParse(string text, out string? error)
    {
        error = null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = $"'{text}' is not an address: expected store:path or store:path#key";
            return null;
        }
        var store = text[..colon];
        var rest = text[(colon + 1)..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash == 0 || hash == rest.Length - 1)
        {
            error = $"'{text}' has an empty path or key around '#'";
            return null;
        }
        if (hash > 0 && rest.IndexOf('#', hash + 1) >= 0)
        {
            error = $"'{text}' has more than one '#'";
            return null;
        }
        return hash < 0 ? new SecretAddress(store, rest) : new SecretAddress(store, rest[..hash], rest[(hash + 1)..]);
    }

    public static SecretAddress Parse(string text) =>
        TryParse(text, out var error) ?? throw new FormatException(error);

    /// <summary>The address without its store: <c>path</c> or <c>path#key</c>.</summary>
    public string Local => Key is null ? Path : $"{Path}#{Key}";

    /// <summary>The same address in another store.</summary>
    public SecretAddress In(string store) => this with { Store = store };

    public override string ToString() => $"{Store}:{Local}";
}
