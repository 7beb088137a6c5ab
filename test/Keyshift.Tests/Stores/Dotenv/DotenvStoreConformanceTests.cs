using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Stores.Dotenv;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Stores.Dotenv;

public sealed class DotenvStoreConformanceTests : StoreConformanceTests
{
    protected override Store CreateStore() => new DotenvStore(SettingsFactory.Store(Dir.Path, "type: dotenv\npath: .env"));

    protected override SecretAddress AddressFor(string name) => new("test", name);

    protected override SecretAddress MalformedAddress() => new("test", "A", "B");
}
