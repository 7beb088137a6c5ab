using System.Text.RegularExpressions;

namespace Keyshift.Scanning.Rules;

internal static partial class BuiltInRules
{
    private static readonly string[] FileValueEndings = [".json", ".pem", ".key", ".txt", ".yaml", ".yml", ".p12", ".pfx", ".crt", ".env"];

    private static Rule AuthorizationHeader => new()
    {
        Id = "authorization-header",
        Description = "Bearer, Basic or token credential in an Authorization header",
        Keywords = ["authorization"],
        Pattern = AuthorizationHeaderPattern(),
        Generic = true,
        Entropy = 3.0,
        MinLength = 16,
        TruePositives = [new("""curl -H "Authorization: Bearer 8f3kQ2zLp9Vx7mR4tY6wB1nC5dJ0hG" https://api.internal/orders""", "deploy.sh")],
        FalsePositives = [new("""curl -H "Authorization: Bearer $API_TOKEN" https://api.internal/orders""", "deploy.sh"), "Authorization: Bearer <token>"],
    };

    private static Rule CliPasswordArgument => new()
    {
        Id = "cli-password-argument",
        Description = "Password passed on a command line (mysql -pPASSWORD, sshpass -p PASSWORD)",
        Keywords = ["mysql", "mysqldump", "mysqladmin", "sshpass"],
        Pattern = CliPasswordArgumentPattern(),
        Generic = true,
        MinLength = 4,
        TruePositives = [new("mysql -u root -pH8ws2kLq1Z shop < dump.sql", "restore.sh"), new("sshpass -p 'Kq8vZ2mLx!' ssh deploy@host", "deploy.sh")],
        FalsePositives = [new("mysql -u root -p shop < dump.sql", "restore.sh"), new("mysql -u root -p\"$MYSQL_PASSWORD\" shop", "restore.sh")],
    };

    private static Rule XmlSecretSetting => new()
    {
        Id = "xml-secret-setting",
        Description = "Password, secret or token in an XML setting (<password>…</password>, key=\"…\" value=\"…\")",
        Keywords = ["password", "passwd", "secret", "token", "apikey", "api_key", "api-key"],
        Pattern = XmlSecretSettingPattern(),
        Generic = true,
        MinLength = 6,
        Files = FileKinds.Config,
        TruePositives =
        [
            new("""<add key="PaymentsApiKey" value="c2Vj9Xk4Lp0Qz7Rw" />""", "web.config"),
            new("<password>Hx7!kq2Zp9</password>", "settings.xml"),
        ],
        FalsePositives = [new("""<add key="PaymentsApiKey" value="" />""", "web.config"), new("<password>${env.NEXUS_PASSWORD}</password>", "settings.xml")],
    };

    private static Rule GenericPassword => new()
    {
        Id = "generic-password",
        Description = "Password assigned in config or code (dotenv, YAML, JSON, properties, Terraform, source)",
        Keywords = ["password", "passwd", "passphrase", "pass", "pwd"],
        Pattern = GenericPasswordPattern(),
        Anchored = true,
        Generic = true,
        MinLength = 6,
        Accept = AcceptPassword,
        AcceptsValueStart = AssignedValueMayBeSecret,
        TruePositives =
        [
            new("DB_PASSWORD=Tr0ub4dor&3", ".env"),
            new("  password: 'hX7#kq2Zp9'", "values.yaml"),
            new("""{ "smtpPassword": "m4ilP@ssw0rd!" }""", "settings.json"),
            new("spring.datasource.password=Vx9kQ2rLp7", "application.properties"),
            new("""  password = "Tf9!xLq2Wm" """, "main.tf"),
            new("""var password = "Sup3r$ecret!";""", "Program.cs"),
            new("""db_pass = "Kq8vZ2mLx" """, "settings.py"),
        ],
        FalsePositives =
        [
            new("DB_PASSWORD=", ".env"),
            new("DB_PASSWORD=changeme", ".env"),
            new("DB_PASSWORD=${VAULT_DB_PASSWORD}", ".env"),
            new("  password: your-password-here", "values.yaml"),
            new("""password = request.form["password"]""", "app.py"),
            new("""if (password == "secret") return;""", "Login.cs"),
            new("password_hash: $2b$12$KIXQJ1e8sY5gkO0m0tZP4eU3a7xq3jJ3W8Yx9G1N2mVb5cD6eF7gH", "users.yaml"),
            new("bypass: enabled123", "flags.yaml"),
            new("""password: "<password>" """, "values.yaml"),
            new("PASSWORD=xxxxxxxx", ".env"),
            new("  password = var.db_password", "main.tf"),
        ],
    };

    private static Rule GenericSecret => new()
    {
        Id = "generic-secret",
        Description = "Secret, token or API key assigned in config or code",
        Keywords =
        [
            "secret", "token", "apikey", "api_key", "api-key", "api.key", "access_key", "accesskey", "access-key", "access.key", "private_key",
            "privatekey", "private-key", "auth_key", "authkey", "signing_key", "signingkey", "encryption_key", "encryptionkey", "master_key",
            "masterkey", "credential",
        ],
        Pattern = GenericSecretPattern(),
        Anchored = true,
        Generic = true,
        MinLength = 8,
        Entropy = 3.0,
        Accept = static (m, window, kind) => AcceptAssignment(m, window, kind) && LooksGenerated(m.Groups["secret"].ValueSpan),
        AcceptsValueStart = AssignedValueMayBeSecret,
        TruePositives =
        [
            new("API_KEY=9f2c41d755be4a5e9a7e3c1d0b8e6f42", ".env"),
            new("  client_secret: q8Xz2LmP4vR7tK9w", "values.yaml"),
            new("""private const string ApiKey = "c2Vj9Xk4Lp0Qz7Rw";""", "Client.cs"),
            new("""const accessToken = 'Zk7Qp2Lx9Vm4Rt8W';""", "client.ts"),
            new("""  "signingKey": "Ab3dEf7hIj0lMn4pQr" """, "jwt.json"),
            new("""  secret_key = "q8Xz2LmP4vR7tK9wq8Xz2LmP4vR7tK9w" """, "main.tf"),
        ],
        FalsePositives =
        [
            new("API_KEY=your-api-key-here", ".env"),
            new("  client_secret: ${CLIENT_SECRET}", "values.yaml"),
            new("token = await GetTokenAsync(cancellationToken);", "Client.cs"),
            new("  secret: my-app-secret", "values.yaml"),
            new("GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}", "ci.yml"),
            new("""  "public_key": "MCowBQYDK2VwAyEAz0PCU5v9P1wTDE5N5JJHuFfT9NF6gxVjmzWr2twPDUU=" """, "keys.json"),
            new("credentials: /etc/app/credentials.json", "config.yaml"),
            new("token_sha256: 0d273e34f98dff7e4c6428da8099f4efbacea67c7d1afcc4f14a3e3e04d42f8a", "lock.yaml"),
            new("""api_key = "EXAMPLEKEY123456" """, "config.py"),
        ],
    };

    private static bool AcceptPassword(Match m, string window, FileKinds kind)
    {
        var keyword = window.AsSpan(m.Index, 4);
        var before = m.Index > 0 ? window[m.Index - 1] : ' ';
        // "pass" only as its own word (db_pass, pass:), never inside bypass or compass; "pwd" only as db_pwd, not $PWD.
        if (keyword.Equals("pass", StringComparison.OrdinalIgnoreCase) && !window.AsSpan(m.Index).StartsWith("passw", StringComparison.OrdinalIgnoreCase) && !window.AsSpan(m.Index).StartsWith("passp", StringComparison.OrdinalIgnoreCase) && char.IsLetter(before))
            return false;
        if (keyword.StartsWith("pwd", StringComparison.OrdinalIgnoreCase) && before is not ('_' or '.' or '-'))
            return false;
        return AcceptAssignment(m, window, kind);
    }

    /// <summary>The whole key a keyword ends (client_secret, spring.datasource.password), or null when the key is part of a URL or address.</summary>
    private static string? KeyOf(Match m, string window)
    {
        var start = m.Index;
        while (start > 0 && (char.IsLetterOrDigit(window[start - 1]) || window[start - 1] is '_' or '.' or '-'))
            start--;
        if (start > 0 && window[start - 1] is ':' or '/')
            return null;
        var end = m.Index;
        while (end < window.Length && (char.IsLetterOrDigit(window[end]) || window[end] is '_' or '.' or '-'))
            end++;
        return window[start..end];
    }

    private static bool AcceptAssignment(Match m, string window, FileKinds kind)
    {
        var value = m.Groups["secret"].ValueSpan;
        var key = KeyOf(m, window);
        if (key is null)
            return false;
        if ((kind & FileKinds.Code) != 0 && !m.Groups["q"].Success)
            return false;
        if (key.Contains("public", StringComparison.OrdinalIgnoreCase) || value.Count(' ') >= 2)
            return false;
        if (value.StartsWith("/") || value.StartsWith("./") || value.StartsWith("~/") || EndsWithAny(value, FileValueEndings))
            return false;
        return !ValueFilters.IsHash(m.Groups["secret"].Value, window);
    }

    // What AcceptAssignment and the reference check reject by their first character: in code only a quoted
    // value is a literal, and a value starting with $ is a reference (${X}, $X).
    private static bool AssignedValueMayBeSecret(ReadOnlySpan<char> value, FileKinds kind)
    {
        var quoted = value[0] is '"' or '\'' or '`';
        if ((kind & FileKinds.Code) != 0 && !quoted)
            return false;
        var first = quoted ? (value.Length > 1 ? value[1] : ' ') : value[0];
        return first != '$';
    }

    private static bool EndsWithAny(ReadOnlySpan<char> value, string[] endings)
    {
        foreach (var ending in endings)
        {
            if (value.EndsWith(ending, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    // Names (my-app-secret, cancellation_token) are one-case words; generated values mix cases or carry digits.
    private static bool LooksGenerated(ReadOnlySpan<char> value) =>
        value.ContainsAnyInRange('0', '9') || (value.ContainsAnyInRange('a', 'z') && value.ContainsAnyInRange('A', 'Z'));

    [GeneratedRegex("""\b(?:mysql|mysqldump|mysqladmin)\b[^\r\n]*?\s-p(?<q>["']?)(?<secret>[^\s"'$-][^\s"']{3,})\k<q>|\bsshpass\s+-p\s*(?<q>["']?)(?<secret>[^\s"'$][^\s"']{3,})\k<q>""")]
    private static partial Regex CliPasswordArgumentPattern();

    [GeneratedRegex("""(?i)authorization["']?[ \t]*[:=][ \t]*["']?(?:bearer|basic|token)[ \t]+(?<secret>[A-Za-z0-9._~+/=-]{16,})""")]
    private static partial Regex AuthorizationHeaderPattern();

    [GeneratedRegex("""(?i)(?:key|name)[ \t]*=[ \t]*"(?<key>[\w.:-]*(?:password|passwd|pwd|secret|token|apikey|api[_.-]key))"[ \t]+value[ \t]*=[ \t]*"(?<secret>[^"\r\n]{1,300})"|<(?<key>[\w.:-]*(?:password|passwd|secret|token|apikey|api[_.-]?key))>(?<secret>[^<\r\n]{1,300})</""")]
    private static partial Regex XmlSecretSettingPattern();

    // Case-insensitivity is scoped to the key: with (?i) over a backreference (\k<q>) the source generator
    // falls back to the interpreter, ten times slower.
    // Patterns start at the keyword and are tried only where it occurs; the rest of the key
    // (db_, spring.datasource.) is read backwards by KeyOf, not by a leading lazy loop tried at every position.
    [GeneratedRegex("""\G(?i:password|passwd|passphrase|pass|pwd)["']?[ \t]*(?::=|=>|[:=](?!=))[ \t]*(?:(?<q>["'`])(?<secret>[^"'`\r\n]{1,300}?)\k<q>|(?<secret>[^\s"'`,;()\[\]{}<>][^\s"'`,;<>]{0,299}))""")]
    private static partial Regex GenericPasswordPattern();

    [GeneratedRegex("""\G(?i:secret[_.-]?key|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|auth[_.-]?key|signing[_.-]?key|encryption[_.-]?key|master[_.-]?key|credentials?)["']?[ \t]*(?::=|=>|[:=](?!=))[ \t]*(?:(?<q>["'`])(?<secret>[^"'`\s]{1,300}?)\k<q>|(?<secret>[^\s"'`,;()\[\]{}<>][^\s"'`,;<>]{0,299}))""")]
    private static partial Regex GenericSecretPattern();
}
