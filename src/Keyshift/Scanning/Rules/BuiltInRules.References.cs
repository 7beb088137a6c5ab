using System.Text.RegularExpressions;

namespace Keyshift.Scanning.Rules;

internal static partial class BuiltInRules
{
    // Variables every shell or batch file uses; they point to no secret.
    private static readonly HashSet<string> AmbientVariables = new(StringComparer.Ordinal)
    {
        "HOME", "PATH", "PWD", "OLDPWD", "USER", "SHELL", "IFS", "RANDOM", "LINENO", "HOSTNAME", "UID", "EUID", "PPID", "SECONDS",
        "TMPDIR", "LANG", "TERM", "BASH_SOURCE", "FUNCNAME", "REPLY", "OPTARG", "OPTIND", "CD", "DATE", "TIME", "ERRORLEVEL", "CMDCMDLINE",
    };

    // Looked up by span: a scan checks every reference it finds, hundreds of thousands on a large tree.
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> AmbientNames = AmbientVariables.GetAlternateLookup<ReadOnlySpan<char>>();

    private static IEnumerable<Rule> ReferenceRules =>
    [
        Reference("ref-github-secret", "GitHub Actions secret: ${{ secrets.NAME }}", ["secrets."], GitHubSecretPattern(), FileKinds.All,
            ["        env:\n          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}"], ["run: echo ${{ github.sha }}", "${{ vars.REGION }}"]),
        Reference("ref-env-placeholder", "Environment placeholder: ${NAME}, ${NAME:-default}", ["${"], EnvPlaceholderPattern(), FileKinds.All & ~FileKinds.Script & ~FileKinds.Batch,
            ["DATABASE_URL=postgres://app:${DB_PASSWORD}@db/app", "password: ${DB_PASSWORD:-}"], [new("const url = `${base}/orders`;", "client.js"), "cost: $5"]),
        Reference("ref-shell-variable", "Shell variable: $NAME", ["$"], ShellVariablePattern(), FileKinds.Shell,
            [new("""curl -H "Authorization: Bearer $API_TOKEN" https://api.internal""", "deploy.sh")], [new("cd $HOME && echo $1", "deploy.sh"), new("PRICE='\\$5'", "deploy.sh")]),
        Reference("ref-batch-variable", "Batch variable: %NAME%", ["%"], BatchVariablePattern(), FileKinds.Batch,
            [new("sqlcmd -U app -P %DB_PASSWORD%", "deploy.cmd")], [new("echo 100%% done", "deploy.cmd"), new("cd %CD%", "deploy.cmd")]),
        Reference("ref-k8s-secret-key-ref", "Kubernetes secretKeyRef (NAME#KEY)", ["secretKeyRef"], SecretKeyRefPattern(), FileKinds.Config,
            [new("        valueFrom:\n          secretKeyRef:\n            name: payments-db\n            key: password\n", "deploy.yaml"), new("valueFrom: { secretKeyRef: { name: payments-db, key: password } }", "deploy.yaml")],
            [new("        valueFrom:\n          configMapKeyRef:\n            name: payments\n            key: region\n", "deploy.yaml")], multiline: true, name: KubernetesName),
        Reference("ref-k8s-secret-ref", "Kubernetes envFrom secretRef / secretName", ["secretRef", "secretName"], SecretRefPattern(), FileKinds.Config,
            [new("        envFrom:\n          - secretRef:\n              name: payments-env\n", "deploy.yaml"), new("      secret:\n        secretName: payments-tls\n", "deploy.yaml")],
            [new("        envFrom:\n          - configMapRef:\n              name: payments-env\n", "deploy.yaml")], multiline: true, name: KubernetesName),
        Reference("ref-vault", "HashiCorp Vault address: vault:PATH#KEY", ["vault:"], VaultPattern(), FileKinds.All,
            ["DB_PASSWORD=vault:secret/data/payments#password"], ["vault:\n  address: https://vault.internal", "myvault:thing"]),
        Reference("ref-aws-secrets-manager", "AWS Secrets Manager ARN", ["arn:aws:secretsmanager:"], AwsSecretsManagerPattern(), FileKinds.All,
            ["secret_arn = \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments/db-AbCdEf\""], ["arn:aws:secretsmanager:eu-west-1"]),
        Reference("ref-dotnet-env", "C# environment or configuration read", ["GetEnvironmentVariable", "configuration[", "config[", "GetConnectionString"], DotnetEnvPattern(), FileKinds.Source,
            [new("""var key = Environment.GetEnvironmentVariable("PAYMENTS_API_KEY");""", "Program.cs"), new("""var cs = builder.Configuration["ConnectionStrings:Orders"];""", "Program.cs"), new("""var cs = configuration.GetConnectionString("Orders");""", "Program.cs")],
            [new("var all = Environment.GetEnvironmentVariables();", "Program.cs")]),
        Reference("ref-python-env", "Python environment read", ["os.environ", "os.getenv"], PythonEnvPattern(), FileKinds.Source,
            [new("""key = os.environ["STRIPE_KEY"]""", "app.py"), new("""key = os.getenv('STRIPE_KEY', '')""", "app.py"), new("""key = os.environ.get("STRIPE_KEY")""", "app.py")],
            [new("env = dict(os.environ)", "app.py")]),
        Reference("ref-node-env", "JavaScript/TypeScript environment read", ["process.env", "import.meta.env"], NodeEnvPattern(), FileKinds.Script,
            [new("const key = process.env.STRIPE_KEY;", "app.ts"), new("""const key = process.env["STRIPE_KEY"];""", "app.js"), new("const url = import.meta.env.VITE_API_URL;", "main.ts")],
            [new("const all = { ...process.env };", "app.js")]),
        Reference("ref-go-env", "Go environment read", ["os.Getenv", "os.LookupEnv"], GoEnvPattern(), FileKinds.Source,
            [new("""key := os.Getenv("STRIPE_KEY")""", "main.go"), new("""key, ok := os.LookupEnv("STRIPE_KEY")""", "main.go")], [new("env := os.Environ()", "main.go")]),
        Reference("ref-java-env", "Java/Kotlin environment read", ["System.getenv"], JavaEnvPattern(), FileKinds.Source | FileKinds.Script,
            [new("""String key = System.getenv("STRIPE_KEY");""", "App.java")], [new("Map<String, String> env = System.getenv();", "App.java")]),
    ];

    private static Rule Reference(
        string id, string description, IReadOnlyList<string> keywords, Regex pattern, FileKinds files,
        IReadOnlyList<RuleSample> truePositives, IReadOnlyList<RuleSample> falsePositives, bool multiline = false, ReferenceNamer? name = null) => new()
    {
        Id = id,
        Description = description,
        Kind = FindingKind.Reference,
        Keywords = keywords,
        Pattern = pattern,
        Files = files,
        Multiline = multiline,
        Reach = multiline ? 600 : null,
        Name = name,
        Accept = static (m, _, _) => !AmbientNames.Contains(m.Groups["name"].ValueSpan),
        TruePositives = truePositives,
        FalsePositives = falsePositives,
    };

    private static string? KubernetesName(Match match)
    {
        var body = match.Groups["body"].Value;
        var secretName = match.Groups["name"];
        var resource = secretName.Success ? secretName.Value : FieldValue(body, "name");
        if (resource is null)
            return null;
        var key = FieldValue(body, "key");
        return key is null ? resource : $"{resource}#{key}";
    }

    private static string? FieldValue(string body, string field)
    {
        foreach (Match m in KubernetesField().Matches(body))
        {
            if (m.Groups["field"].Value == field)
                return m.Groups["value"].Value;
        }
        return null;
    }

    [GeneratedRegex("""(?<field>name|key)[ \t]*:[ \t]*["']?(?<value>[A-Za-z0-9][\w.-]*)""")]
    private static partial Regex KubernetesField();

    [GeneratedRegex(@"\$\{\{\s*secrets\.(?<name>[A-Za-z_][A-Za-z0-9_-]*)\s*\}\}")]
    private static partial Regex GitHubSecretPattern();

    [GeneratedRegex(@"\$\{(?!\{)(?<name>[A-Za-z_][A-Za-z0-9_.-]*)(?:(?::?[-=?+])[^}\r\n]*)?\}")]
    private static partial Regex EnvPlaceholderPattern();

    [GeneratedRegex(@"(?<![\\$])\$(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ShellVariablePattern();

    [GeneratedRegex("%(?<name>[A-Za-z_][A-Za-z0-9_]*)%")]
    private static partial Regex BatchVariablePattern();

    [GeneratedRegex(@"secretKeyRef:[ \t]*(?:\{(?<body>[^}\r\n]*)\}|(?<body>(?:\r?\n[ \t]+[^\r\n]*){1,3}))")]
    private static partial Regex SecretKeyRefPattern();

    [GeneratedRegex("""secretRef:[ \t]*(?:\{(?<body>[^}\r\n]*)\}|(?<body>(?:\r?\n[ \t]+[^\r\n]*){1,2}))|secretName:[ \t]*["']?(?<name>[A-Za-z0-9][\w.-]*)""")]
    private static partial Regex SecretRefPattern();

    [GeneratedRegex(@"(?<![\w-])vault:(?<name>[A-Za-z0-9_][A-Za-z0-9_./#-]*)")]
    private static partial Regex VaultPattern();

    [GeneratedRegex(@"(?<name>arn:aws:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+)")]
    private static partial Regex AwsSecretsManagerPattern();

    [GeneratedRegex("""Environment\.GetEnvironmentVariable\(\s*"(?<name>[^"\r\n]+)"|(?i:config(?:uration)?)\s*\[\s*"(?<name>[^"\r\n]+)"\s*\]|GetConnectionString\(\s*"(?<name>[^"\r\n]+)"\s*\)""")]
    private static partial Regex DotnetEnvPattern();

    [GeneratedRegex("""os\.environ(?:\.get\(|\[)\s*["'](?<name>[^"'\r\n]+)["']|os\.getenv\(\s*["'](?<name>[^"'\r\n]+)["']""")]
    private static partial Regex PythonEnvPattern();

    [GeneratedRegex("""(?:process|import\.meta)\.env(?:\.(?<name>[A-Za-z_$][\w$]*)|\[\s*["'`](?<name>[^"'`\r\n]+)["'`]\s*\])""")]
    private static partial Regex NodeEnvPattern();

    [GeneratedRegex("""os\.(?:Getenv|LookupEnv)\(\s*"(?<name>[^"\r\n]+)"\s*\)""")]
    private static partial Regex GoEnvPattern();

    [GeneratedRegex("""System\.getenv\(\s*"(?<name>[^"\r\n]+)"\s*\)""")]
    private static partial Regex JavaEnvPattern();
}
