using Keyshift.Scanning;

namespace Keyshift.Tests.Scanning;

/// <summary>Every reference form is reported as a reference, with the name it points to, and never as a secret.</summary>
public sealed class ReferenceTests
{
    public static TheoryData<string, string, string, string> Forms() => new()
    {
        { ".env", "DATABASE_URL=postgres://app:${DB_PASSWORD}@db/app", "ref-env-placeholder", "DB_PASSWORD" },
        { "compose.yaml", "    environment:\n      API_KEY: ${API_KEY:-}\n", "ref-env-placeholder", "API_KEY" },
        { "deploy.sh", "curl -u \"deploy:$DEPLOY_TOKEN\" https://ci.internal", "ref-shell-variable", "DEPLOY_TOKEN" },
        { "Dockerfile", "RUN echo $NPM_TOKEN > .npmrc", "ref-shell-variable", "NPM_TOKEN" },
        { "deploy.cmd", "sqlcmd -U app -P %DB_PASSWORD%", "ref-batch-variable", "DB_PASSWORD" },
        { "ci.yml", "      env:\n        NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n", "ref-github-secret", "NPM_TOKEN" },
        { "deploy.yaml", "        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: payments-db\n              key: password\n", "ref-k8s-secret-key-ref", "payments-db#password" },
        { "deploy.yaml", "      envFrom:\n        - secretRef:\n            name: payments-env\n", "ref-k8s-secret-ref", "payments-env" },
        { "deploy.yaml", "      volumes:\n        - name: tls\n          secret:\n            secretName: payments-tls\n", "ref-k8s-secret-ref", "payments-tls" },
        { "app.env", "DB_PASSWORD=vault:secret/data/payments#password", "ref-vault", "secret/data/payments#password" },
        { "main.tf", "  secret_arn = \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments/db-AbCdEf\"", "ref-aws-secrets-manager", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments/db-AbCdEf" },
        { "Program.cs", "var key = Environment.GetEnvironmentVariable(\"PAYMENTS_API_KEY\");", "ref-dotnet-env", "PAYMENTS_API_KEY" },
        { "Program.cs", "var cs = builder.Configuration[\"ConnectionStrings:Orders\"];", "ref-dotnet-env", "ConnectionStrings:Orders" },
        { "app.py", "key = os.environ[\"STRIPE_KEY\"]", "ref-python-env", "STRIPE_KEY" },
        { "app.py", "key = os.getenv(\"STRIPE_KEY\", \"\")", "ref-python-env", "STRIPE_KEY" },
        { "server.ts", "const key = process.env.STRIPE_KEY ?? '';", "ref-node-env", "STRIPE_KEY" },
        { "server.js", "const key = process.env['STRIPE_KEY'];", "ref-node-env", "STRIPE_KEY" },
        { "main.go", "key := os.Getenv(\"STRIPE_KEY\")", "ref-go-env", "STRIPE_KEY" },
        { "App.java", "String key = System.getenv(\"STRIPE_KEY\");", "ref-java-env", "STRIPE_KEY" },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void ReferenceForm_IsReportedWithItsName_AndNeverAsSecret(string file, string content, string rule, string name)
    {
        var findings = new Scanner(new ScanOptions()).ScanText(content, file);

        var reference = findings.ShouldHaveSingleItem();
        reference.Kind.ShouldBe(FindingKind.Reference);
        reference.RuleId.ShouldBe(rule);
        reference.ReferenceName.ShouldBe(name);
        reference.Fingerprint.ShouldBeNull();
    }

    [Fact]
    public void TemplateLiteralInJavaScript_IsNotAReference()
    {
        new Scanner(new ScanOptions()).ScanText("const url = `${baseUrl}/orders/${id}`;", "client.ts").ShouldBeEmpty();
    }
}
