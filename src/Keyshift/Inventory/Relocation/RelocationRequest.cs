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

    /// <summary>Rewrite, in place, the spans no move relocates (a .bak copy is kept).</summary>
    public bool Apply { get; init; }

    /// <summary>Write <c>backup: true</c> in each hardcoded store, so cutover keeps <c>FILE.keyshift.bak</c>.</summary>
    public bool Backup { get; init; }

    /// <summary>The workspace key the fingerprints in the proposal are made with (<c>.keyshift/key</c>, or the one init will save there).</summary>
    public required Keyshift.Secrets.FingerprintKey Key { get; init; }
}
