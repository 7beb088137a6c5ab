using System.Security.Cryptography;
using System.Text;

namespace Keyshift.Issuers;

/// <summary>
/// Keys one issue step, like AWS's ClientRequestToken: the move id, the step and the attempt. A repeated or
/// resumed step with the same token reaches the same credential, never a second one.
/// </summary>
public sealed record RequestToken(string Value)
{
    public static RequestToken For(string moveId, string step, string attempt) => new($"{moveId}|{step}|{attempt}");

    /// <summary>Eight lower-case hex digits of SHA-256 of the token: short enough for role names, stable across runs.</summary>
    public string ShortHash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Value)))[..8];

    public override string ToString() => Value;
}
