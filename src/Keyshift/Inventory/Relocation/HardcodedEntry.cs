using Keyshift.Scanning;

namespace Keyshift.Inventory.Relocation;

/// <summary>
/// One value of a <see cref="HardcodedSource"/>: its name (the reference), span (1-based line and column, length in
/// characters) and finding. <paramref name="Follows"/> names the move of the same value, when another move already
/// relocates it: the span has no move of its own and is rewritten when that move cuts over.
/// </summary>
internal sealed record HardcodedEntry(string Name, int Line, int Column, int Length, Finding Finding, Keyshift.Secrets.SecretAddress? Follows = null);
