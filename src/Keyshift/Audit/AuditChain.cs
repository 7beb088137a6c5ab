using System.Security.Cryptography;
using Keyshift.Secrets;

namespace Keyshift.Audit;

/// <summary>
/// The MAC chain: <c>mac(n) = HMAC-SHA256(K_audit, mac(n-1) ‖ canonical(n))</c>, where <c>mac(0)</c> is empty and
/// <c>K_audit = FingerprintKey.Mac("audit", "chain")</c>, a key derived from the workspace key so the audit
/// MACs can never be confused with fingerprints. Not thread-safe: one per appender or verifier.
/// </summary>
internal sealed class AuditChain : IDisposable
{
    private readonly IncrementalHash _hmac;

    public AuditChain(FingerprintKey key)
    {
        var derived = key.Mac("audit", "chain"u8);
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, derived);
        CryptographicOperations.ZeroMemory(derived);
    }

    public void Next(ReadOnlySpan<byte> previousMac, ReadOnlySpan<byte> canonical, Span<byte> mac)
    {
        _hmac.AppendData(previousMac);
        _hmac.AppendData(canonical);
        _hmac.GetHashAndReset(mac);
    }

    public void Dispose() => _hmac.Dispose();
}
