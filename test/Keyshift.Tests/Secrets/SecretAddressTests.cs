using Keyshift.Configuration;
using Keyshift.Secrets;

namespace Keyshift.Tests.Secrets;

public sealed class SecretAddressTests
{
    [Theory]
    [InlineData("legacy:DB_PASSWORD", "legacy", "DB_PASSWORD", null)]
    [InlineData("vault:payments/db#password", "vault", "payments/db", "password")]
    [InlineData("k8s:ns/name#key", "k8s", "ns/name", "key")]
    [InlineData("governed:app/db", "governed", "app/db", null)]
    public void Parse_SplitsStorePathAndKey(string text, string store, string path, string? key)
    {
        var a = SecretAddress.Parse(text);
        a.Store.ShouldBe(store);
        a.Path.ShouldBe(path);
        a.Key.ShouldBe(key);
        a.ToString().ShouldBe(text);
    }

    [Theory]
    [InlineData("nocolon")]
    [InlineData(":path")]
    [InlineData("store:")]
    [InlineData("store:a#")]
    [InlineData("store:#k")]
    [InlineData("store:a#b#c")]
    public void TryParse_RejectsMalformedText_WithAReason(string text)
    {
        SecretAddress.TryParse(text, out var error).ShouldBeNull();
        error.ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("0s", 0)]
    [InlineData("30s", 30)]
    [InlineData("15m", 900)]
    [InlineData("72h", 259200)]
    [InlineData("1h30m", 5400)]
    [InlineData("30d", 2592000)]
    public void Durations_Parse(string text, int seconds)
    {
        DurationText.TryParse(text, out var value).ShouldBeTrue();
        value.ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("72")]
    [InlineData("h")]
    [InlineData("3x")]
    public void Durations_RejectGarbage(string text) => DurationText.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void Fingerprints_AreKeyed_SameValueSameKeyEqual_OtherKeyDiffers()
    {
        var k1 = FingerprintKey.CreateRandom();
        var k2 = FingerprintKey.CreateRandom();
        var v = SecretValue.FromUtf8("canary-value");
        k1.Of(v).ShouldBe(k1.Of(SecretValue.FromUtf8("canary-value")));
        k1.Of(v).ShouldNotBe(k2.Of(v));
        k1.Of(v).Hex.Length.ShouldBe(64);
        v.ToString().ShouldBe("***");
    }
}
