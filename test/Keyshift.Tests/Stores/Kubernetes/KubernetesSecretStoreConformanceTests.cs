using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Stores.Kubernetes;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Stores.Kubernetes;

public sealed class KubernetesSecretStoreConformanceTests : StoreConformanceTests
{
    protected override Store CreateStore() => new KubernetesSecretStore(SettingsFactory.Store(Dir.Path, "type: k8s-secret\npath: secrets.yaml"));

    protected override SecretAddress AddressFor(string name) => new("test", "payments/db-credentials", name);

    protected override SecretAddress MalformedAddress() => new("test", "payments/db-credentials");
}
