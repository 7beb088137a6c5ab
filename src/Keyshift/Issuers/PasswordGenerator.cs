using System.Security.Cryptography;
using System.Text;
using Keyshift.Configuration;
using Keyshift.Secrets;

namespace Keyshift.Issuers;

/// <summary>
/// Generated credentials: uniformly random characters from a CSPRNG (<see cref="RandomNumberGenerator"/>), with
/// the length and alphabet an issuer's settings ask for (<c>length</c>, <c>alphabet</c>).
/// </summary>
public sealed class PasswordGenerator
{
    public const string AlphaNumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    public const string Hex = "0123456789abcdef";
    public const string Base64Url = AlphaNumeric + "-_";
    public const string Symbols = AlphaNumeric + "!#%+,-./:=?@^_~";

    public PasswordGenerator(int length = 32, string alphabet = AlphaNumeric)
    {
        if (length < 8)
            throw new ArgumentOutOfRangeException(nameof(length), "a generated credential has at least 8 characters");
        if (alphabet.Distinct().Count() != alphabet.Length || alphabet.Length < 2)
            throw new ArgumentException("the alphabet needs two or more distinct characters", nameof(alphabet));
        Length = length;
        Alphabet = alphabet;
    }

    public int Length { get; }

    public string Alphabet { get; }

    /// <summary>Bits of entropy in one generated credential.</summary>
    public double EntropyBits => Length * Math.Log2(Alphabet.Length);

    public SecretValue Next()
    {
        var chars = new char[Length];
        for (var i = 0; i < chars.Length; i++)
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        var value = SecretValue.FromUtf8(new string(chars));
        Array.Clear(chars);
        return value;
    }

    /// <summary>
    /// Reads <c>length</c> (8–1024, default <paramref name="defaultLength"/>) and <c>alphabet</c> (<c>alphanumeric</c>,
    /// <c>hex</c>, <c>base64url</c>, <c>symbols</c>, or the characters themselves) from the settings.
    /// <paramref name="forbidden"/> lists characters the target system cannot take.
    /// </summary>
    public static PasswordGenerator FromSettings(Settings settings, int defaultLength = 32, string defaultAlphabet = AlphaNumeric, string forbidden = "")
    {
        var length = settings.Int("length", 8, 1024) ?? defaultLength;
        var alphabet = settings.String("alphabet") switch
        {
            null => defaultAlphabet,
            "alphanumeric" => AlphaNumeric,
            "hex" => Hex,
            "base64url" => Base64Url,
            "symbols" => Symbols,
            var custom => custom,
        };
        if (alphabet.Distinct().Count() != alphabet.Length || alphabet.Length < 2)
        {
            settings.Error("alphabet", "needs two or more distinct characters (or alphanumeric, hex, base64url, symbols)");
            alphabet = defaultAlphabet;
        }
        var bad = alphabet.Where(c => forbidden.Contains(c, StringComparison.Ordinal) || char.IsControl(c) || c > 126).ToArray();
        if (bad.Length > 0)
        {
            settings.Error("alphabet", $"contains characters this issuer cannot use: {new StringBuilder().Append(bad.Distinct().ToArray())}");
            alphabet = defaultAlphabet;
        }
        var generator = new PasswordGenerator(length, alphabet);
        if (generator.EntropyBits < 64)
            settings.Error("length", $"{length} characters from a {alphabet.Length}-character alphabet give {generator.EntropyBits:F0} bits; at least 64 are needed");
        return generator;
    }
}
