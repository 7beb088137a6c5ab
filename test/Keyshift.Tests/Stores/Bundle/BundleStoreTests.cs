using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Stores.Bundle;

/// <summary>The shared store suite over a passphrase bundle with flat addresses, built from settings as keyshift.yaml would.</summary>
public sealed class BundleStoreTests : StoreConformanceTests
{
    public BundleStoreTests() => Environment.SetEnvironmentVariable("KS_TEST_PASS", "correct horse battery staple");

    protected override Store CreateStore() =>
        StoreTypes.Create("bundle", SettingsFactory.Store(Dir.Path, "type: bundle\npath: escrow.ksb\npassphrase: env:KS_TEST_PASS"))!;

    protected override SecretAddress AddressFor(string name) => new("test", name);

    protected override SecretAddress MalformedAddress() => new("other-store", "KEY");
}
