using Keyshift.Secrets;

namespace Keyshift.Inventory.Relocation;

/// <summary>One hardcoded value to replace by <c>${Name}</c>: its exact character span in the file (from the scan location) and its value to check the span against.</summary>
internal sealed record Replacement(int Line, int Column, SecretValue Value, string Name, Fingerprint Fingerprint);
