using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keyshift.Tests.Issuers;
using Keyshift.Tests.Issuers.RabbitMq;
using Keyshift.Tests.Support;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Keyshift.Tests.Execution;

/// <summary>
/// Credential replacement end to end on the real RabbitMQ of test/servers.sh: a consumer's open AMQP connection with
/// the old user holds retirement back (evidence from the management API); once it moved to the new user, retire deletes the old one.
/// </summary>
public sealed class RabbitMqCredentialReplacementTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new();

    private static Task<IConnection> ConnectAsync(string user, string password) => new ConnectionFactory
    {
        HostName = "127.0.0.1", Port = TestServers.RabbitAmqpPort, UserName = user, Password = password, VirtualHost = "/",
    }.CreateConnectionAsync(Ct);

    private static async Task<bool> ConnectedAsync(string user)
    {
        using var http = RabbitMqIssuerTests.Admin();
        var connections = await http.GetFromJsonAsync<JsonArray>("api/connections?columns=user", Ct) ?? [];
        return connections.Any(c => (string?)c?["user"] == user);
    }

    [Fact]
    public async Task Retire_WhileOldUserConnected_RefusesWithEvidence_ThenDeletesTheOldUser()
    {
        var account = TestServers.Unique("ks");
        var password = Canary.New("rabbit");
        using (var http = RabbitMqIssuerTests.Admin())
        {
            (await http.PutAsJsonAsync($"api/users/{account}", new { password, tags = "" }, Ct)).EnsureSuccessStatusCode();
            (await http.PutAsJsonAsync($"api/permissions/%2F/{account}", new { configure = ".*", write = ".*", read = ".*" }, Ct)).EnsureSuccessStatusCode();
        }
        _dir.Write("legacy/.env", $"AMQP_PASSWORD={password}\n");
        var config = _dir.Write("keyshift.yaml", $$"""
            version: 1
            mode: credential-replacement
            stores:
              legacy: { type: dotenv, path: legacy/.env }
              governed: { type: json, path: governed/secrets.json }
            issuers:
              mq: { type: rabbitmq, url: "http://127.0.0.1:{{TestServers.RabbitMgmtPort}}", host: 127.0.0.1, port: {{TestServers.RabbitAmqpPort}}, adminUser: {{TestServers.RabbitAdminUser}}, admin: env:KEYSHIFT_TEST_RABBIT_ADMIN_PASSWORD }
            moves:
              - from: legacy:AMQP_PASSWORD
                to: governed:app/amqp
                issuer: mq
                account: {{account}}
                probes: [{ type: rabbitmq }]
            cutover: { dualRun: 0s, quietWindow: 3s, approvals: 0 }
            """);
        Task<CliRunner.Result> Run(params string[] args) => CliRunner.RunAsync(_time, [.. args, "-c", config]);

        var apply = await Run("apply", "--until", "cutover");
        apply.ExitCode.ShouldBe(0, apply.ToString());
        var secrets = JsonNode.Parse(File.ReadAllText(_dir.File("governed/secrets.json")))!["app"]!["amqp"]!;
        var (user, fresh) = ((string)secrets["username"]!, (string)secrets["password"]!);

        await using (var consumer = await ConnectAsync(account, password))
        {
            await Eventually.HoldsAsync(() => ConnectedAsync(account), "the management API lists the old user's connection");
            (await Run("watch", "--once", "--interval", "1s")).ExitCode.ShouldBe(0);
            var held = await Run("retire");
            held.ExitCode.ShouldBe(1, held.ToString());
            held.Out.ShouldContain($"old credential `{account}` used at");
            held.Out.ShouldContain("mq/");
            await consumer.CloseAsync(Ct);
        }
        await using var switched = await ConnectAsync(user, fresh);
        await Eventually.HoldsAsync(async () => !await ConnectedAsync(account), "the management API no longer lists the old user's connection");
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            (await Run("watch", "--once", "--interval", "1s")).ExitCode.ShouldBe(0);
        }
        var retire = await Run("retire");
        retire.ExitCode.ShouldBe(0, retire.ToString());
        await Should.ThrowAsync<BrokerUnreachableException>(() => ConnectAsync(account, password));
        await using var again = await ConnectAsync(user, fresh);
        again.IsOpen.ShouldBeTrue();
    }

    public void Dispose() => _dir.Dispose();
}
