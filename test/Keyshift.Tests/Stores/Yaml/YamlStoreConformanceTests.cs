using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Stores.Yaml;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Stores.Yaml;

public sealed class YamlStoreConformanceTests : StoreConformanceTests
{
    protected override Store CreateStore() => new YamlStore(SettingsFactory.Store(Dir.Path, "type: yaml\npath: secrets.yaml"));

    protected override SecretAddress AddressFor(string name) => new("test", "payments/db", name);

    protected override SecretAddress MalformedAddress() => new("test", "payments/db");
}
