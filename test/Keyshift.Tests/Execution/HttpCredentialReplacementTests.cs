using System.Net;
using System.Text.Json.Nodes;
using Keyshift.Tests.Issuers.Http;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Execution;

/// <summary>
/// API key replacement end to end through the CLI against a small admin API (Kestrel, in this test): create-key and
/// revoke-key templates; after retirement the old key is refused by the API and the new one works.
/// </summary>
public sealed class HttpCredentialReplacementTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempDir _dir = new();

    private static async Task<HttpStatusCode> MeAsync(FakeAdminApi api, string key)
    {
        using var http = new HttpClient { BaseAddress = api.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/me");
        request.Headers.Add("X-Api-Key", key);
        using var response = await http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task ApplyThenRetire_OldKeyRefusedByTheApi_NewKeyWorks()
    {
        await using var api = await FakeAdminApi.StartAsync();
        var (oldId, oldKey) = api.Seed("billing");
        _dir.Write("legacy/.env", $"API_KEY={oldKey}\n");
        _dir.Write("admin-token", api.AdminToken);
        var config = _dir.Write("keyshift.yaml", $$"""
            version: 1
            mode: credential-replacement
            stores:
              legacy: { type: dotenv, path: legacy/.env }
              governed: { type: json, path: governed/secrets.json }
            issuers:
              saas:
                type: http
                url: {{api.Url}}
                admin: file:admin-token
                create: { method: POST, path: /v1/keys, body: '{"name": "{name}", "owner": "billing"}', key: $.data.secret, id: $.data.id }
                revoke: { method: DELETE, path: '/v1/keys/{id}' }
                find: { method: GET, path: '/v1/keys?name={name}', id: '$.items[0].id' }
            moves:
              - from: legacy:API_KEY
                to: governed:billing/api
                issuer: saas
                account: {{oldId}}
                probes: [{ type: http, path: /v1/me, auth: 'header:X-Api-Key' }]
            cutover: { dualRun: 0s, quietWindow: 0s, approvals: 0 }
            """);

        var apply = await CliRunner.RunAsync("apply", "--until", "cutover", "-c", config);
        apply.ExitCode.ShouldBe(0, apply.ToString());
        var fresh = (string)JsonNode.Parse(File.ReadAllText(_dir.File("governed/secrets.json")))!["billing"]!["api"]!["key"]!;
        (await MeAsync(api, fresh)).ShouldBe(HttpStatusCode.OK);
        (await MeAsync(api, oldKey)).ShouldBe(HttpStatusCode.OK, "dual-run: the old key still works");
        api.Keys.Count.ShouldBe(2);

        var retire = await CliRunner.RunAsync("retire", "-c", config);
        retire.ExitCode.ShouldBe(0, retire.ToString());

        (await MeAsync(api, oldKey)).ShouldBe(HttpStatusCode.Unauthorized, "the old key is revoked at the API");
        (await MeAsync(api, fresh)).ShouldBe(HttpStatusCode.OK);
        api.Keys.Keys.ShouldNotContain(oldId);
        File.ReadAllText(_dir.File("legacy/.env")).ShouldNotContain("API_KEY");
        File.ReadAllText(_dir.File(".keyshift/audit.jsonl")).ShouldContain("refused");
        foreach (var output in new[] { apply, retire })
            Canary.FindIn(output.All, "output", [oldKey, fresh, api.AdminToken]).ShouldBeEmpty();
    }

    public void Dispose() => _dir.Dispose();
}
