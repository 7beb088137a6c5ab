using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Stores.Json;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Stores.Json;

public sealed class JsonStoreConformanceTests : StoreConformanceTests
{
    protected override Store CreateStore() => new JsonStore(SettingsFactory.Store(Dir.Path, "type: json\npath: secrets.json"));

    protected override SecretAddress AddressFor(string name) => new("test", "app/prod", name);

    protected override SecretAddress MalformedAddress() => new("test", "app");
}
