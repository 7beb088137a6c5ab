namespace Keyshift.Stores.Bundle;

/// <summary>A decrypted bundle: its header (to keep the salt on a rewrite) and its entries by key.</summary>
internal sealed record BundleContents(BundleHeader Header, Dictionary<string, BundleEntry> Entries);
