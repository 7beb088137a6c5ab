using System.Buffers;
using System.Text.RegularExpressions;

namespace Keyshift.Scanning;

/// <summary>
/// Values that look like secrets to a pattern but are not: placeholders, empty values, references to
/// secrets kept elsewhere, and password hashes or digests. None of them is ever a secret finding.
/// </summary>
internal static partial class ValueFilters
{
    private static readonly SearchValues<string> PlaceholderParts = SearchValues.Create(
        [
            "changeme", "change_me", "change-me", "changeit", "replaceme", "replace_me", "replace-me", "example", "placeholder",
            "xxx", "***", "...", "…", "<", ">", "{{", "}}", "${", "$(", "dummy", "redacted", "your_", "your-", "yourpass",
            "yoursecret", "yourtoken", "insert", "todo", "fixme", "sample", "notasecret", "not-a-secret", "fake",
        ],
        StringComparison.OrdinalIgnoreCase);

    private static readonly HashSet<string> PlaceholderWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "passwd", "pass", "secret", "token", "apikey", "api_key", "key", "none", "null", "nil", "undefined", "true",
        "false", "yes", "no", "on", "off", "empty", "required", "optional", "string", "str", "test", "default", "value", "env",
        "pwd", "mypassword", "mysecret", "secret123", "password123", "admin", "root", "guest", "user", "username", "hidden",
    };

    private static readonly SearchValues<string> HashContext = SearchValues.Create(
        ["hash", "digest", "checksum", "sha1", "sha256", "sha512", "md5", "integrity", "fingerprint", "etag", "salt"],
        StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> TokenPlaceholderParts = SearchValues.Create(
        ["example", "xxxxx", "placeholder", "changeme", "redacted", "dummy", "...", "…", "<", ">", "{{", "${", "your-", "your_", "-here", "_here"],
        StringComparison.OrdinalIgnoreCase);

    /// <summary>For specific token formats: only markers long enough never to occur by chance in random characters.</summary>
    public static bool IsTokenPlaceholder(string value) => value.AsSpan().ContainsAny(TokenPlaceholderParts) || (value.Length <= 128 && HasLongRun(value, 8));

    // A run of eight equal characters (00000000, XXXXXXXX) marks a filler in a token; in random text it practically
    // never occurs. Long encoded structures (private keys) do hold zero runs, so they are exempt.
    private static bool HasLongRun(string value, int length)
    {
        var run = 1;
        for (var i = 1; i < value.Length; i++)
        {
            run = value[i] == value[i - 1] ? run + 1 : 1;
            if (run >= length)
                return true;
        }
        return false;
    }

    public static bool IsPlaceholder(string value)
    {
        var v = value.AsSpan().Trim();
        if (v.Length < 3 || PlaceholderWords.Contains(value.Trim()))
            return true;
        if (v.ContainsAny(PlaceholderParts))
            return true;
        // One character repeated (00000000, aaaaaaaa) or a run of one separator is a mask, not a secret.
        return !v.ContainsAnyExcept(v[0]);
    }

    /// <summary>The value points to a secret kept elsewhere; the reference rules report it as such.</summary>
    public static bool IsReference(string value)
    {
        var v = value.AsSpan().Trim();
        return v.StartsWith("$") || v.StartsWith("%") && v.EndsWith("%") || v.StartsWith("vault:") || v.StartsWith("arn:aws:secretsmanager:")
            || v.StartsWith("env:") || v.StartsWith("file:") || v.StartsWith("secretref:");
    }

    /// <summary>A password hash or digest: bcrypt/argon2/crypt forms anywhere, hex digests where the key or line speaks of hashing.</summary>
    public static bool IsHash(string value, ReadOnlySpan<char> context)
    {
        if (CryptHash().IsMatch(value))
            return true;
        return HexDigest().IsMatch(value) && context.ContainsAny(HashContext);
    }

    [GeneratedRegex(@"^(?:\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}|\$argon2(?:id|i|d)\$\S+|\$[156]\$[^$]{1,16}\$[./A-Za-z0-9]+|\{S?SHA(?:256|512)?\}\S+|(?:sha1|sha256|sha512)[-:][A-Za-z0-9+/=]+)$")]
    private static partial Regex CryptHash();

    [GeneratedRegex("^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|[0-9a-fA-F]{128})$")]
    private static partial Regex HexDigest();
}
