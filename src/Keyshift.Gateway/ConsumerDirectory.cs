using System.Security.Cryptography;
using Keyshift.Apis.Integrations;
using Keyshift.Secrets;

namespace Keyshift.Gateway;

/// <summary>
/// Tells which consumer presented a legacy key: the keyed fingerprint of the presented key is compared,
/// in constant time, with each consumer's. Only fingerprints are kept.
/// </summary>
internal sealed class ConsumerDirectory(FingerprintKey key, IReadOnlyList<(IntegrationConsumer Consumer, Fingerprint LegacyKey)> consumers)
{
    public const string Unknown = "unknown";

    public FingerprintKey Key { get; } = key;

    private readonly (IntegrationConsumer Consumer, byte[] LegacyKey)[] _known = [.. consumers.Select(c => (c.Consumer, Convert.FromHexString(c.LegacyKey.Hex)))];

    public (IntegrationConsumer? Consumer, Fingerprint Fingerprint) Identify(SecretValue presented)
    {
        var fingerprint = Key.Of(presented);
        var presentedBytes = Convert.FromHexString(fingerprint.Hex);
        IntegrationConsumer? match = null;
        // Every entry is compared, so the time taken does not tell which consumer (or none) matched.
        foreach (var (consumer, known) in _known)
        {
            if (CryptographicOperations.FixedTimeEquals(presentedBytes, known))
                match = consumer;
        }
        return (match, fingerprint);
    }
}
