using Keyshift.Scanning;
using Keyshift.Secrets;

namespace Keyshift.Inventory.Relocation;

/// <summary>
/// A hardcoded secret in a file Keyshift cannot read as a store: listed with a TODO, its value moved by hand,
/// unless <paramref name="CoveredBy"/> names a move that already relocates the same value.
/// </summary>
internal sealed record ManualSecret(Finding Finding, SecretAddress ProposedTarget, string Name, SecretAddress? CoveredBy = null);
