using System.Security.Cryptography;
using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Stores.Bundle;

namespace Keyshift.Tests.Stores.Bundle;

/// <summary>The shared store suite over a bundle keyed by the program (the engine's escrow), with nested addresses.</summary>
public sealed class BundleStoreNestedTests : StoreConformanceTests
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    protected override Store CreateStore() =>
        new BundleStore("escrow", Dir.File("escrow.ksb"), new RawBundleKey(_key), TimeProvider.System);

    protected override SecretAddress AddressFor(string name) => new("escrow", "governed/payments/db", name);

    protected override SecretAddress MalformedAddress() => new("escrow", "payments#db", "password");
}
