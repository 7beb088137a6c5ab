namespace Keyshift.Inventory.Relocation;

/// <summary>A scanned file that is not a store but holds hardcoded values at exact spans: it becomes a <c>hardcoded</c> source store.</summary>
internal sealed record HardcodedSource(string Name, string ConfigPath, string FullPath, List<HardcodedEntry> Values);
