namespace Keyshift.Tests.Support;

/// <summary>Small migration workspaces on real files, for engine and CLI tests.</summary>
public static class Workspaces
{
    public const string Env = """
        # legacy environment for payments-api
        export DB_HOST=10.0.4.12
        DB_PASSWORD="pg-Xq7#pL2w!vR9"
        STRIPE_SECRET_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc   # rotated 2024-02
        STRIPE_WEBHOOK_SECRET='whsec_5WbX5kEWLlfzsGNjH64I8lOOqUB'

        LOG_LEVEL=info

        """;

    public static string Config(string cutover = "{ dualRun: 72h, quietWindow: 24h, approvals: 1 }", string extra = "") => $"""
        version: 1
        name: test-migration
        mode: storage-replacement
        stores:
          legacy: {"{"} type: dotenv, path: legacy/.env {"}"}
          governed: {"{"} type: json, path: governed/secrets.json {"}"}
        consumers:
          payments-api: {"{"} owner: team-payments, environment: production {"}"}
        moves:
          - from: legacy:DB_PASSWORD
            to: governed:payments/db#password
            owner: team-payments
            rotation: 30d
            consumers: [payments-api]
          - from: legacy:STRIPE_*
            to: governed:payments/stripe#{"{"}name{"}"}
            owner: team-payments
        cutover: {cutover}
        {extra}
        """;

    /// <summary>A workspace with a legacy .env (three secrets, two other keys) and an empty governed JSON store.</summary>
    public static string Create(TempDir dir, string? config = null, string env = Env)
    {
        dir.Write("legacy/.env", env.ReplaceLineEndings("\n"));
        return dir.Write("keyshift.yaml", (config ?? Config()).ReplaceLineEndings("\n"));
    }
}
