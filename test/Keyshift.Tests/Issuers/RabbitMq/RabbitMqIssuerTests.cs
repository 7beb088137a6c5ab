using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Keyshift.Issuers;
using Keyshift.Probes;
using Keyshift.Secrets;

namespace Keyshift.Tests.Issuers.RabbitMq;

public sealed class RabbitMqIssuerTests : IssuerConformanceTests
{
    private string Yaml(string adminPassword) => $"""
        type: rabbitmq
        url: http://127.0.0.1:{TestServers.RabbitMgmtPort}
        host: 127.0.0.1
        port: {TestServers.RabbitAmqpPort}
        adminUser: {TestServers.RabbitAdminUser}
        admin: file:{Dir.Write($"admin-{Guid.NewGuid():N}", adminPassword)}
        """;

    protected override Issuer CreateIssuer() => IssuerFactory.Create(Dir.Path, Yaml(TestServers.RabbitAdminPassword));

    protected override Issuer CreateIssuerWithWrongAdmin(string wrongSecret) => IssuerFactory.Create(Dir.Path, Yaml(wrongSecret));

    protected override string HostileAccount() => TestServers.Unique("ks") + "a\"b/c?d#e%f DROP";

    internal static HttpClient Admin()
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{TestServers.RabbitMgmtPort}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestServers.RabbitAdminUser}:{TestServers.RabbitAdminPassword}")));
        return http;
    }

    protected override async Task<Credential> CreateAccountAsync(Issuer issuer, string account)
    {
        var password = "old-" + Guid.NewGuid().ToString("N");
        using var http = Admin();
        var user = Uri.EscapeDataString(account);
        (await http.PutAsJsonAsync($"api/users/{user}", new { password, tags = "monitoring" }, Ct)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"api/permissions/%2F/{user}", new { configure = "^app\\.", write = "^app\\.", read = ".*" }, Ct)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"api/topic-permissions/%2F/{user}", new { exchange = "amq.topic", write = "^orders\\.", read = ".*" }, Ct)).EnsureSuccessStatusCode();
        return Credential.Login(issuer.Describe(account, account), SecretValue.FromUtf8(password));
    }

    protected override Probe CreateProbe(Issuer issuer) => new RabbitMqProbe("rabbitmq", "127.0.0.1", TestServers.RabbitAmqpPort, "/", false, TimeSpan.FromSeconds(5));

    protected override async Task<int> CountLoginsAsync(string account)
    {
        using var http = Admin();
        var users = await http.GetFromJsonAsync<JsonArray>("api/users", Ct);
        return users!.Count(u => ((string)u!["name"]!).StartsWith(account, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NewUser_GetsTheOldUsersTagsPermissionsAndTopicPermissions()
    {
        var issuer = CreateIssuer();
        var account = Account();
        await CreateAccountAsync(issuer, account);
        var fresh = await issuer.IssueAsync(await issuer.PrepareAsync(IssueRequest.First(account, RequestToken.For("m", "s", "1")), Ct), Ct);
        using var http = Admin();
        var name = Uri.EscapeDataString(fresh.Descriptor.Username);
        var user = await http.GetFromJsonAsync<JsonObject>($"api/users/{name}", Ct);
        user!["tags"]!.ToJsonString().ShouldContain("monitoring");
        var permissions = await http.GetFromJsonAsync<JsonArray>($"api/users/{name}/permissions", Ct);
        ((string)permissions!.ShouldHaveSingleItem()!["configure"]!).ShouldBe("^app\\.");
        var topics = await http.GetFromJsonAsync<JsonArray>($"api/users/{name}/topic-permissions", Ct);
        ((string)topics!.ShouldHaveSingleItem()!["write"]!).ShouldBe("^orders\\.");
        user.ToJsonString().ShouldNotContain(fresh.Field(Credential.Password)!.RevealUtf8());
    }

    [Fact]
    public async Task Prepare_ForMissingUser_NamesIssuerStepAndUser()
    {
        var e = await Should.ThrowAsync<IssuerException>(async () => await CreateIssuer().PrepareAsync(IssueRequest.First("no-such-user-ks", RequestToken.For("m", "s", "1")), Ct));
        e.Message.ShouldStartWith("issuer 'test' (rabbitmq): prepare: user 'no-such-user-ks' does not exist");
    }
}
