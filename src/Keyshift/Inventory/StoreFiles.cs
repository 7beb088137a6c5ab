using Keyshift.Stores;

namespace Keyshift.Inventory;

/// <summary>The file behind a file store, for ages (its modification time) and to tell store files from other scanned files.</summary>
internal static class StoreFiles
{
    public static string? PathOf(Store store) => store switch
    {
        Stores.Dotenv.DotenvStore s => s.FilePath,
        Stores.Json.JsonStore s => s.FilePath,
        Stores.Yaml.YamlStore s => s.FilePath,
        Stores.Kubernetes.KubernetesSecretStore s => s.FilePath,
        Stores.Bundle.BundleStore s => s.FilePath,
        _ => null,
    };
}
