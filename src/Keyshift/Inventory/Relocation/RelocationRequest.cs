namespace Keyshift.Inventory.Relocation;

/// <summary>What <c>keyshift init --from-scan</c> was asked: what to scan, where the config goes, which store receives the secrets.</summary>
internal sealed record RelocationRequest
{
    public required string ScanPath { get; init; }

    public required string ConfigPath { get; init; }

    /// <summary>The target store's type (dotenv, json, yaml, k8s-secret).</summary>
    public string IntoType { get; init; } = "json";

    /// <summary>The target store's path, relative to the workspace.</summary>
    public string IntoPath { get; init; } = "governed/secrets.json";

    /// <summary>Rewrite the files that are not source stores in place (a .bak copy is kept).</summary>
    public bool Apply { get; init; }
}
