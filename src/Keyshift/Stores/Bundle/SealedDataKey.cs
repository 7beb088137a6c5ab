namespace Keyshift.Stores.Bundle;

/// <summary>A fresh data key and the header parameters that let its holder recover it.</summary>
internal sealed record SealedDataKey(byte[] Parameters, byte[] DataKey);
