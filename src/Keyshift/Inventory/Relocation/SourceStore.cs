namespace Keyshift.Inventory.Relocation;

/// <summary>A scanned file that is itself a store (dotenv, json, yaml, k8s-secret) and becomes a move source.</summary>
internal sealed record SourceStore(string Name, string Type, string ConfigPath, string FullPath);
