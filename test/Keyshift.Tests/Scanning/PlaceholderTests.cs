using Keyshift.Scanning;

namespace Keyshift.Tests.Scanning;

/// <summary>Placeholders, empty values, hashes, public keys and references are never secret findings.</summary>
public sealed class PlaceholderTests
{
    public static TheoryData<string, string> NotSecrets() => new()
    {
        { ".env", "DB_PASSWORD=changeme" },
        { ".env", "DB_PASSWORD=" },
        { ".env", "API_KEY=your-api-key-here" },
        { ".env", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE" },
        { ".env", "API_TOKEN=xxxxxxxxxxxxxxxx" },
        { "values.yaml", "  password: <password>" },
        { "values.yaml", "  password: ${DB_PASSWORD}" },
        { "values.yaml", "  client_secret: \"{{ .Values.secret }}\"" },
        { "users.yaml", "  password: $2b$12$KIXQJ1e8sY5gkO0m0tZP4eU3a7xq3jJ3W8Yx9G1N2mVb5cD6eF7gH" },
        { "users.yaml", "  password_sha256: 0d273e34f98dff7e4c6428da8099f4efbacea67c7d1afcc4f14a3e3e04d42f8a" },
        { "users.yaml", "  secret_hash: 0d273e34f98dff7e4c6428da8099f4efbacea67c7d1afcc4f14a3e3e04d42f8a" },
        { "users.yaml", "  password: $argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG" },
        { "id_ed25519.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM9DwlOb/T9cEwxOTeSSR7hX0/TReoMVY5s1q9rcDw1F deploy@ci" },
        { "keys.json", "{ \"public_key\": \"MCowBQYDK2VwAyEAz0PCU5v9P1wTDE5N5JJHuFfT9NF6gxVjmzWr2twPDUU=\" }" },
        { "appsettings.json", "{ \"Password\": \"%DB_PASSWORD%\" }" },
        { "app.py", "password = os.environ[\"DB_PASSWORD\"]" },
    };

    [Theory]
    [MemberData(nameof(NotSecrets))]
    public void Value_IsNeverASecretFinding(string file, string content)
    {
        new Scanner(new ScanOptions()).ScanText(content, file).ShouldNotContain(f => f.Kind == FindingKind.Secret);
    }

    [Fact]
    public void InlineAllowMarker_SuppressesTheLine()
    {
        var scanner = new Scanner(new ScanOptions());
        scanner.ScanText("API_KEY=9f2c41d755be4a5e9a7e3c1d0b8e6f42 # keyshift:allow test fixture", ".env").ShouldBeEmpty();
        scanner.ScanText("API_KEY=9f2c41d755be4a5e9a7e3c1d0b8e6f42", ".env").ShouldHaveSingleItem();
    }

    [Fact]
    public void MaskedForm_ShowsAtMostFourPrefixCharacters_AndTheLength()
    {
        var token = "ghp_jmsn9dLVIdVuddLEG62Hkd9Gf2leMeR3pzh8";
        var finding = new Scanner(new ScanOptions()).ScanText($"GITHUB_TOKEN={token}", ".env").ShouldHaveSingleItem();
        finding.Masked.ShouldBe("ghp_…(40)");
        var password = new Scanner(new ScanOptions()).ScanText("DB_PASSWORD=Tr0ub4dor&3", ".env").ShouldHaveSingleItem();
        password.Masked.ShouldBe("…(11)");
    }
}
