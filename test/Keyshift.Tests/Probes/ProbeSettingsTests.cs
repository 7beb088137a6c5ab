using Keyshift.Issuers;
using Keyshift.Probes;
using Keyshift.Secrets;
using Keyshift.Tests.Issuers;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Probes;

public sealed class ProbeSettingsTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PostgresProbe_TakesConnectionDetailsFromTheIssuer()
    {
        var issuer = IssuerFactory.Create(_dir.Path, $"type: postgres\nhost: 127.0.0.1\nport: {TestServers.PgPort}\ndatabase: postgres\nadmin: env:UNUSED");
        var (probe, errors, _) = ProbeFactory.TryCreate(_dir.Path, "type: postgres", issuer);
        errors.Any.ShouldBeFalse();
        var wrong = Credential.Login(CredentialDescriptor.Of("t", "keyshift_admin", "keyshift_admin"), SecretValue.FromUtf8("definitely-wrong"));
        var result = await probe!.RunAsync(wrong, Ct);
        result.Outcome.ShouldBe(ProbeOutcome.Refused, result.Reason);
        result.Reason.ShouldContain($"127.0.0.1:{TestServers.PgPort}/postgres");
        SecretAssert.NotIn(result.Reason, "definitely-wrong");
    }

    [Fact]
    public async Task UnreachableServer_IsNeverEvidenceOfRevocation()
    {
        var credential = Credential.Login(CredentialDescriptor.Of("t", "a", "a"), SecretValue.FromUtf8("whatever-1"));
        foreach (var yaml in new[] { "type: postgres\nhost: 127.0.0.1\nport: 1\ntimeout: 2s", "type: redis\nport: 1", "type: rabbitmq\nport: 1\ntimeout: 3s", "type: http\nurl: http://127.0.0.1:1/x", "type: tls\nhost: 127.0.0.1\nport: 1" })
        {
            var (probe, errors, _) = ProbeFactory.TryCreate(_dir.Path, yaml);
            errors.ThrowIfAny();
            var result = await probe!.RunAsync(credential, Ct);
            result.Outcome.ShouldBe(ProbeOutcome.Unreachable, yaml);
            result.Meets(ProbeExpectation.Refused).ShouldBeFalse();
        }
    }

    [Theory]
    [InlineData("type: postgres\nsslmode: sometimes", "sslmode")]
    [InlineData("type: http\nurl: ftp://x", "url")]
    [InlineData("type: command", "run")]
    [InlineData("type: tls\nport: 443", "host")]
    [InlineData("type: redis\nprot: 1", "prot")]
    [InlineData("type: teleport", "type")]
    public void BadProbeSettings_NameTheField(string yaml, string field)
    {
        var (_, errors, _) = ProbeFactory.TryCreate(_dir.Path, yaml);
        errors.Items.ShouldHaveSingleItem().Field.ShouldBe($"moves[0].probes[0].{field}");
    }

    [Fact]
    public void Expectation_IsReadFromExpect()
    {
        ProbeTypes.Expectation(ProbeFactory.TryCreate(_dir.Path, "type: redis\nexpect: refused").Context).ShouldBe(ProbeExpectation.Refused);
        ProbeTypes.Expectation(ProbeFactory.TryCreate(_dir.Path, "type: redis").Context).ShouldBe(ProbeExpectation.Success);
    }

    [Fact]
    public void Redaction_RemovesEveryFormOfTheSecret()
    {
        var credential = Credential.Login(CredentialDescriptor.Of("t", "a", "a"), SecretValue.FromUtf8("p@ss w/rd+1"));
        var text = $"raw p@ss w/rd+1 url {Uri.EscapeDataString("p@ss w/rd+1")} b64 {Convert.ToBase64String("p@ss w/rd+1"u8)} hex {Convert.ToHexString("p@ss w/rd+1"u8)}";
        SecretAssert.NotIn(Redaction.Apply(text, credential), "p@ss w/rd+1");
    }

    [Fact]
    public void EveryIssuerAndProbeType_IsRegistered()
    {
        IssuerTypes.Names.Order().ShouldBe(["http", "postgres", "rabbitmq", "redis", "x509"]);
        ProbeTypes.Names.Order().ShouldBe(["command", "http", "postgres", "rabbitmq", "redis", "tls"]);
    }

    public void Dispose() => _dir.Dispose();
}
