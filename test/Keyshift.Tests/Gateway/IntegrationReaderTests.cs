using Keyshift.Apis.Integrations;
using Keyshift.Configuration;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Gateway;

public sealed class IntegrationReaderTests
{
    private static IntegrationSet Read(TempDir dir, string integrations)
    {
        dir.Write("legacy/.env", "PARTNER_KEY_BILLING=x\n");
        var path = dir.Write("keyshift.yaml", ("""
            version: 1
            name: t
            stores:
              legacy: { type: dotenv, path: legacy/.env }
              governed: { type: json, path: governed/secrets.json }
            moves:
              - from: legacy:PARTNER_KEY_BILLING
                to: governed:partner#billing
            """ + "\n" + integrations).ReplaceLineEndings("\n"));
        return IntegrationReader.Read(ConfigLoader.Load(path));
    }

    [Fact]
    public void Read_TheDocumentedInterface()
    {
        using var dir = new TempDir();
        var set = Read(dir, """
            gateway: { listen: "127.0.0.1:8080", admin: "127.0.0.1:8081" }
            integrations:
              partner-payments:
                mode: shadow
                weight: 10
                legacy: { url: "http://127.0.0.1:9001", auth: { type: api-key, header: X-API-Key } }
                new:    { url: "http://127.0.0.1:9002", auth: { type: oauth2, tokenUrl: "http://127.0.0.1:9003/token", scopes: [charges] } }
                consumers:
                  billing-worker: { legacyKey: legacy:PARTNER_KEY_BILLING, clientId: billing-worker, clientSecret: governed:partner#billing }
                sunset: "2027-03-31"
            """);

        set.Gateway.Listen.ShouldBe("127.0.0.1:8080");
        set.Gateway.Admin.ShouldBe("127.0.0.1:8081");
        var integration = set.Integrations.ShouldHaveSingleItem();
        integration.Name.ShouldBe("partner-payments");
        integration.Mode.ShouldBe(IntegrationMode.Shadow);
        integration.Weight.ShouldBe(10);
        integration.Legacy.Auth.Header.ShouldBe("X-API-Key");
        integration.New.Auth.Type.ShouldBe(EndpointAuthType.OAuth2);
        integration.New.Auth.Scopes.ShouldBe(["charges"]);
        integration.Sunset.ShouldBe(new DateOnly(2027, 3, 31));
        var consumer = integration.Consumers.ShouldHaveSingleItem();
        consumer.Name.ShouldBe("billing-worker");
        consumer.LegacyKey.ToString().ShouldBe("store:legacy:PARTNER_KEY_BILLING");
        consumer.ClientSecret!.Target.ShouldBe("governed:partner#billing");
    }

    [Fact]
    public void Read_BadInput_NamesLineAndFieldOfEveryProblem()
    {
        using var dir = new TempDir();
        var error = Should.Throw<BadInputException>(() => Read(dir, """
            gateway: { listen: "localhost", admin: "127.0.0.1:8081" }
            integrations:
              partner-payments:
                mode: mirror
                legacy: { url: "ftp://x", auth: { type: oauth2, tokenUrl: "http://x/token" } }
                new:    { url: "http://127.0.0.1:9002", auth: { type: oauth2 } }
                consumers:
                  billing-worker: { legacyKey: "sk_live_inline", clientId: billing-worker, clientSecret: vault:partner#billing }
                sunset: "31/03/2027"
            """));

        var messages = error.Errors.Select(e => e.ToString()).ToList();
        messages.ShouldContain(m => m.Contains(":9:") && m.Contains("gateway.listen") && m.Contains("address and port"));
        messages.ShouldContain(m => m.Contains(":12:") && m.Contains("integrations.partner-payments.mode") && m.Contains("mirror"));
        messages.ShouldContain(m => m.Contains("integrations.partner-payments.legacy.url") && m.Contains("http(s)"));
        messages.ShouldContain(m => m.Contains("integrations.partner-payments.legacy.auth.type") && m.Contains("identifies consumers"));
        messages.ShouldContain(m => m.Contains("integrations.partner-payments.new.auth.tokenUrl") && m.Contains("required"));
        messages.ShouldContain(m => m.Contains("consumers.billing-worker.legacyKey") && m.Contains("never written inline"));
        messages.ShouldContain(m => m.Contains("consumers.billing-worker.clientSecret") && m.Contains("'vault'"));
        messages.ShouldContain(m => m.Contains("integrations.partner-payments.sunset") && m.Contains("2027-03-31"));
        messages.ShouldAllBe(m => m.Contains("keyshift.yaml"));
        messages.ShouldNotContain(m => m.Contains("sk_live_inline"));
    }

    [Fact]
    public void Read_ConsumersNeedNotBeDeclaredAtTopLevel_ButNeedOAuthClientsOutsideObserve()
    {
        using var dir = new TempDir();
        var error = Should.Throw<BadInputException>(() => Read(dir, """
            integrations:
              partner:
                mode: shift
                legacy: { url: "http://127.0.0.1:9001", auth: { type: api-key } }
                new:    { url: "http://127.0.0.1:9002", auth: { type: oauth2, tokenUrl: "http://127.0.0.1:9003/token" } }
                consumers:
                  billing-worker: { legacyKey: legacy:PARTNER_KEY_BILLING }
                sunset: "2027-03-31"
            """));

        error.Errors.ShouldHaveSingleItem().ToString().ShouldContain("integrations.partner.consumers.billing-worker.clientId: is required");
    }
}
