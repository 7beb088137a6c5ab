namespace Keyshift.Stores;

/// <summary>The store types <c>keyshift.yaml</c> can name, and how each is built.</summary>
public static class StoreTypes
{
    private static readonly Dictionary<string, Func<StoreContext, Store>> Factories = new(StringComparer.Ordinal)
    {
        ["bundle"] = c => new Bundle.BundleStore(c),
        ["dotenv"] = c => new Dotenv.DotenvStore(c),
        ["json"] = c => new Json.JsonStore(c),
        ["yaml"] = c => new Yaml.YamlStore(c),
        ["k8s-secret"] = c => new Kubernetes.KubernetesSecretStore(c),
        ["hardcoded"] = c => new Hardcoded.HardcodedStore(c),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>Builds the store, or returns null after reporting an unknown type.</summary>
    public static Store? Create(string type, StoreContext context)
    {
        if (Factories.TryGetValue(type, out var factory))
            return factory(context);
        context.Settings.Error("type", $"unknown store type '{type}'; known: {string.Join(", ", Factories.Keys.Order())}");
        return null;
    }
}
