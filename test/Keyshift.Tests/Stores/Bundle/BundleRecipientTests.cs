using System.Security.Cryptography;
using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Stores.Bundle;

/// <summary>Bundles sealed for a recipient's public key and opened with the matching private key (the identity).</summary>
public sealed class BundleRecipientTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SecretAddress Address = SecretAddress.Parse("test:payments/db#password");

    public static TheoryData<string> KeyKinds() => ["rsa-2048", "rsa-3072-pkcs1", "ec-p256", "ec-p384", "ec-p256-sec1"];

    /// <summary>Writes a fresh key pair as PEM files; returns (public path, private path).</summary>
    private (string Public, string Private) KeyPair(string kind, string name)
    {
        AsymmetricAlgorithm key = kind switch
        {
            "rsa-2048" => RSA.Create(2048),
            "rsa-3072-pkcs1" => RSA.Create(3072),
            "ec-p256" or "ec-p256-sec1" => ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256),
            "ec-p384" => ECDiffieHellman.Create(ECCurve.NamedCurves.nistP384),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        using (key)
        {
            var privatePem = kind switch
            {
                "rsa-3072-pkcs1" => ((RSA)key).ExportRSAPrivateKeyPem(),
                "ec-p256-sec1" => ((ECDiffieHellman)key).ExportECPrivateKeyPem(),
                _ => key.ExportPkcs8PrivateKeyPem(),
            };
            return (_dir.Write($"{name}.pub.pem", key.ExportSubjectPublicKeyInfoPem()), _dir.Write($"{name}.pem", privatePem));
        }
    }

    private Store Store(string settings) =>
        StoreTypes.Create("bundle", SettingsFactory.Store(_dir.Path, "type: bundle\npath: escrow.ksb\n" + settings))!;

    [Theory]
    [MemberData(nameof(KeyKinds))]
    public async Task RecipientWrites_IdentityReads_RoundTrip(string kind)
    {
        var (publicKey, privateKey) = KeyPair(kind, "ops");
        var canary = "CANARY-recipient-" + kind;
        await Store($"recipient: {publicKey}").ApplyAsync([StoreChange.Set(Address, SecretValue.FromUtf8(canary))], Ct);

        var values = await Store($"identity: file:{privateKey}").ReadAsync([Address], Ct);

        values[Address].RevealUtf8().ShouldBe(canary);
        canary.ShouldNotLeakInto(File.ReadAllBytes(_dir.File("escrow.ksb")), "the bundle file");
    }

    [Theory]
    [InlineData("rsa-2048")]
    [InlineData("ec-p256")]
    public async Task IdentityAlone_ReadsAndRewrites(string kind)
    {
        var (_, privateKey) = KeyPair(kind, "ops");
        var store = Store($"identity: file:{privateKey}");
        await store.ApplyAsync([StoreChange.Set(Address, SecretValue.FromUtf8("one"))], Ct);
        await store.ApplyAsync([StoreChange.Set(SecretAddress.Parse("test:OTHER"), SecretValue.FromUtf8("two"))], Ct);

        (await Store($"identity: file:{privateKey}").ListAsync(Ct)).Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("rsa-2048")]
    [InlineData("ec-p384")]
    public async Task AnotherIdentity_IsRefused_NamingBothKeys(string kind)
    {
        var (publicKey, _) = KeyPair(kind, "ops");
        var (_, otherPrivate) = KeyPair(kind, "mallory");
        await Store($"recipient: {publicKey}").ApplyAsync([StoreChange.Set(Address, SecretValue.FromUtf8("v"))], Ct);

        var e = await Should.ThrowAsync<StoreException>(async () => await Store($"identity: file:{otherPrivate}").ListAsync(Ct));

        e.Message.ShouldContain("is corrupt or the key is wrong");
        e.Message.ShouldContain("sealed for recipient sha256:");
        e.Message.ShouldContain("the identity is sha256:");
    }

    [Fact]
    public async Task RsaIdentity_ForAnEcBundle_SaysWhichKindItNeeds()
    {
        var (ecPublic, _) = KeyPair("ec-p256", "ec");
        var (_, rsaPrivate) = KeyPair("rsa-2048", "rsa");
        await Store($"recipient: {ecPublic}").ApplyAsync([StoreChange.Set(Address, SecretValue.FromUtf8("v"))], Ct);

        var e = await Should.ThrowAsync<StoreException>(async () => await Store($"identity: file:{rsaPrivate}").ListAsync(Ct));

        e.Message.ShouldContain("sealed with an EC recipient key, and the identity is an RSA key");
    }

    [Fact]
    public async Task RecipientOnly_CannotReadAnExistingBundle_AndSaysWhy()
    {
        var (publicKey, _) = KeyPair("ec-p256", "ops");
        var store = Store($"recipient: {publicKey}");
        await store.ApplyAsync([StoreChange.Set(Address, SecretValue.FromUtf8("v"))], Ct);

        var e = await Should.ThrowAsync<StoreException>(async () => await store.ReadAsync([Address], Ct));

        e.Message.ShouldContain("needs the private key (identity)");
    }

    [Fact]
    public async Task PublicKeyGivenAsIdentity_IsBadInput_NamingTheField()
    {
        var (publicKey, _) = KeyPair("rsa-2048", "ops");

        var e = await Should.ThrowAsync<BadInputException>(async () => await Store($"identity: file:{publicKey}").ListAsync(Ct));

        e.Errors.Single().Field.ShouldBe("stores.test.identity");
        e.Errors.Single().Message.ShouldContain("needs the private key");
        e.Errors.Single().Location!.Line.ShouldBe(3);
    }

    [Fact]
    public async Task EncryptedPrivateKey_IsBadInput_WithTheWayOut()
    {
        using var rsa = RSA.Create(2048);
        var path = _dir.Write("locked.pem", rsa.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)));

        var e = await Should.ThrowAsync<BadInputException>(async () => await Store($"identity: file:{path}").ListAsync(Ct));

        e.Errors.Single().Message.ShouldContain("openssl pkey");
    }

    public void Dispose() => _dir.Dispose();
}
