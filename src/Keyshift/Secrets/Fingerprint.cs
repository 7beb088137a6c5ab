namespace Keyshift.Secrets;

/// <summary>
/// A keyed HMAC-SHA256 of a secret value (lower-case hex). Two values are equal exactly when their
/// fingerprints under the same workspace key are; the fingerprint reveals nothing without the key.
/// </summary>
public readonly record struct Fingerprint(string Hex)
{
    /// <summary>The first twelve hex digits, for tables.</summary>
    public string Short => Hex.Length > 12 ? Hex[..12] : Hex;

    public override string ToString() => Hex;
}
