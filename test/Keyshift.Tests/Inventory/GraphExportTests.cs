using Keyshift.Tests.Support;

namespace Keyshift.Tests.Inventory;

/// <summary>The dependency map of a small workspace, compared as exact text in each export format.</summary>
public sealed class GraphExportTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _config;

    public GraphExportTests()
    {
        _dir.Write("legacy/.env", $"DB_PASSWORD={Canary.New("db")}\nAPI_KEY={Canary.New("api")}\n");
        _dir.Write("app/docker-compose.yml", "services:\n  api:\n    environment:\n      API_KEY: ${API_KEY}\n");
        _config = _dir.Write("keyshift.yaml", """
            version: 1
            stores:
              legacy: { type: dotenv, path: legacy/.env }
              governed: { type: json, path: governed/secrets.json }
            consumers:
              payments-api: { owner: team-payments, environment: production, paths: ["app/**"] }
              worker: { owner: team-jobs }
            moves:
              - from: legacy:DB_PASSWORD
                to: governed:payments/db#password
                consumers: [worker]

            """);
    }

    public void Dispose() => _dir.Dispose();

    private async Task<string> Graph(string format)
    {
        var result = await CliRunner.RunAsync("inventory", "-c", _config, "--scan", _dir.File("app"), "--graph", format);
        result.ExitCode.ShouldBe(0, result.ToString());
        return result.Out;
    }

    [Fact]
    public async Task Dot_IsExact()
    {
        (await Graph("dot")).ShouldBe("""
            digraph keyshift {
              rankdir=LR;
              "consumer:payments-api" [label="payments-api (team-payments, production)", shape=box];
              "consumer:worker" [label="worker (team-jobs)", shape=box];
              "secret:legacy:API_KEY" [label="legacy:API_KEY", shape=ellipse];
              "secret:legacy:DB_PASSWORD" [label="legacy:DB_PASSWORD", shape=ellipse];
              "store:governed" [label="governed (json)", shape=cylinder];
              "store:legacy" [label="legacy (dotenv)", shape=cylinder];
              "consumer:payments-api" -> "secret:legacy:API_KEY" [label="reference", style=dashed];
              "consumer:worker" -> "secret:legacy:DB_PASSWORD" [label="declared"];
              "secret:legacy:API_KEY" -> "store:legacy" [label="stored-in", color=gray];
              "secret:legacy:DB_PASSWORD" -> "store:legacy" [label="stored-in", color=gray];
            }

            """);
    }

    [Fact]
    public async Task Mermaid_IsExact()
    {
        (await Graph("mermaid")).ShouldBe("""
            graph LR
              c1["payments-api (team-payments, production)"]
              c2["worker (team-jobs)"]
              s1(["legacy:API_KEY"])
              s2(["legacy:DB_PASSWORD"])
              st1[("governed (json)")]
              st2[("legacy (dotenv)")]
              c1 -.->|reference| s1
              c2 -->|declared| s2
              s1 -->|stored-in| st2
              s2 -->|stored-in| st2

            """);
    }

    [Fact]
    public async Task Json_IsExact_AndNamesWhereTheReferenceIs()
    {
        (await Graph("json")).ShouldBe("""
            {
              "nodes": [
                {
                  "id": "consumer:payments-api",
                  "kind": "consumer",
                  "label": "payments-api (team-payments, production)"
                },
                {
                  "id": "consumer:worker",
                  "kind": "consumer",
                  "label": "worker (team-jobs)"
                },
                {
                  "id": "secret:legacy:API_KEY",
                  "kind": "secret",
                  "label": "legacy:API_KEY"
                },
                {
                  "id": "secret:legacy:DB_PASSWORD",
                  "kind": "secret",
                  "label": "legacy:DB_PASSWORD"
                },
                {
                  "id": "store:governed",
                  "kind": "store",
                  "label": "governed (json)"
                },
                {
                  "id": "store:legacy",
                  "kind": "store",
                  "label": "legacy (dotenv)"
                }
              ],
              "edges": [
                {
                  "from": "consumer:payments-api",
                  "to": "secret:legacy:API_KEY",
                  "kind": "reference",
                  "location": "app/docker-compose.yml:4"
                },
                {
                  "from": "consumer:worker",
                  "to": "secret:legacy:DB_PASSWORD",
                  "kind": "declared"
                },
                {
                  "from": "secret:legacy:API_KEY",
                  "to": "store:legacy",
                  "kind": "stored-in"
                },
                {
                  "from": "secret:legacy:DB_PASSWORD",
                  "to": "store:legacy",
                  "kind": "stored-in"
                }
              ]
            }

            """);
    }

    [Fact]
    public async Task Out_WritesTheFile_AndTwoRunsAreIdentical()
    {
        var first = _dir.File("out/graph.dot");
        (await CliRunner.RunAsync("inventory", "-c", _config, "--scan", _dir.File("app"), "--graph", "dot", "--out", first)).ExitCode.ShouldBe(0);
        var second = await Graph("dot");
        File.ReadAllText(first).ShouldBe(second);
    }
}
