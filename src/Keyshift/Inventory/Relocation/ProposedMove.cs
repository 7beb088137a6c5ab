using Keyshift.Scanning;
using Keyshift.Secrets;

namespace Keyshift.Inventory.Relocation;

/// <summary>A move of the proposal: an exact source address in a store file, its target, and the name references use.</summary>
internal sealed record ProposedMove(SecretAddress From, SecretAddress To, string Name, Finding Finding);
