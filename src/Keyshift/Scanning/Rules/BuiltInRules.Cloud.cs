using System.Text.RegularExpressions;

namespace Keyshift.Scanning.Rules;

internal static partial class BuiltInRules
{
    // The Azurite/storage-emulator key is published in Microsoft's docs; it unlocks nothing.
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static Rule AwsAccessKeyId => new()
    {
        Id = "aws-access-key-id",
        Description = "AWS access key id (AKIA/ASIA…)",
        Keywords = ["AKIA", "ASIA", "ABIA", "ACCA"],
        Pattern = AwsAccessKeyIdPattern(),
        PublicPrefixes = ["AKIA", "ASIA", "ABIA", "ACCA"],
        TruePositives = ["AWS_ACCESS_KEY_ID=AKIASXMECOSFOGYR5XKX", new("""aws_access_key_id = "ASIASXMECOSFOGYR5XKX" """, "main.tf")],
        FalsePositives = ["AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AKIASXMECOSF", "xAKIASXMECOSFOGYR5XKXQ"],
    };

    private static Rule AwsSecretAccessKey => new()
    {
        Id = "aws-secret-access-key",
        Description = "AWS secret access key",
        Keywords = ["aws_secret", "awssecret", "aws-secret", "aws.secret", "secretaccesskey", "secret_access_key", "secret-access-key"],
        Pattern = AwsSecretAccessKeyPattern(),
        Entropy = 3.5,
        TruePositives =
        [
            "aws_secret_access_key = odJFCrnl2edlBDdz1C5Jau2RJtBRnlWmTSHf6pWk",
            new("""{ "SecretAccessKey": "odJFCrnl2edlBDdz1C5Jau2RJtBRnlWmTSHf6pWk" }""", "creds.json"),
        ],
        FalsePositives =
        [
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}",
            "aws_secret_access_key = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ],
    };

    private static Rule GcpServiceAccount => new()
    {
        Id = "gcp-service-account-key",
        Description = "Google Cloud service-account JSON private key",
        Keywords = ["\"private_key\""],
        Pattern = GcpServiceAccountPattern(),
        TruePositives =
        [
            new("""{"type": "service_account", "project_id": "payments", "private_key": "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIP2GnRWAaBQ9acjiMB8/5ti4nXq7K0OhAnKgEbSq1j2s\n-----END PRIVATE KEY-----\n", "client_email": "ci@payments.iam.gserviceaccount.com"}""", "sa.json"),
        ],
        FalsePositives =
        [
            new("""{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n"}""", "sa.json"),
            new("""{"private_key": ""}""", "sa.json"),
        ],
    };

    private static Rule GcpApiKey => new()
    {
        Id = "gcp-api-key",
        Description = "Google API key",
        Keywords = ["AIza"],
        Pattern = GcpApiKeyPattern(),
        PublicPrefixes = ["AIza"],
        TruePositives = ["maps_key: AIzaTAIjvFu7WICPhDeOZIiBOB-Y6sHrFH2ZUCr", new("""const key = "AIzaTAIjvFu7WICPhDeOZIiBOB-Y6sHrFH2ZUCr";""", "app.js")],
        FalsePositives = ["maps_key: AIzaSyEXAMPLEexampleEXAMPLEexample12345", "AIzaTAIjvFu7WI"],
    };

    private static Rule AzureStorageKey => new()
    {
        Id = "azure-storage-account-key",
        Description = "Azure storage account key in a connection string",
        Keywords = ["AccountKey"],
        Pattern = AzureStorageKeyPattern(),
        Accept = static (m, _, _) => m.Groups["secret"].Value != AzuriteKey,
        TruePositives =
        [
            "AZURE_STORAGE=DefaultEndpointsProtocol=https;AccountName=payments;AccountKey=/lgotu2iXW7GboIRoL3u6aHwnMztVuaP+coUNEhEkk+iqq8vH2BzNZV45pFCiRcDCajhDieQjEJ+Bq8F80ymm3==;EndpointSuffix=core.windows.net",
        ],
        FalsePositives =
        [
            "UseDevelopmentStorage=true;AccountName=devstoreaccount1;AccountKey=" + AzuriteKey,
            "DefaultEndpointsProtocol=https;AccountName=payments;AccountKey=<your-account-key>",
        ],
    };

    private static Rule AzureSharedAccessKey => new()
    {
        Id = "azure-shared-access-key",
        Description = "Azure Service Bus / Event Hubs shared access key",
        Keywords = ["SharedAccessKey"],
        Pattern = AzureSharedAccessKeyPattern(),
        TruePositives = ["Endpoint=sb://orders.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=T207gmhZRnFyy5r2xJ7Fj4mgblEv0+9BZhvWaXH6K2+="],
        FalsePositives = ["Endpoint=sb://orders.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${SB_KEY}"],
    };

    private static Rule AzureAdClientSecret => new()
    {
        Id = "azure-ad-client-secret",
        Description = "Microsoft Entra ID (Azure AD) application client secret",
        Keywords = ["Q~"],
        Pattern = AzureAdClientSecretPattern(),
        Entropy = 3.5,
        TruePositives = ["AZURE_CLIENT_SECRET=KcW8Q~w84Jx3_l8S0QPnuQ0~KZe6lOGPoZ-a70gy"],
        FalsePositives = ["see the Q~ column", "AZURE_CLIENT_SECRET=abc8Q~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    };

    [GeneratedRegex("(?<![A-Za-z0-9])(?<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])")]
    private static partial Regex AwsAccessKeyIdPattern();

    [GeneratedRegex("""(?i)(?:aws[_.-]?secret[_.-]?(?:access[_.-]?)?key|secret[_.-]?access[_.-]?key)["']?[ \t]*(?::=|=>|[:=])[ \t]*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])""")]
    private static partial Regex AwsSecretAccessKeyPattern();

    [GeneratedRegex("""
        "private_key"\s*:\s*"(?<secret>-----BEGIN[A-Z ]*PRIVATE KEY-----[^"]{16,})"
        """)]
    private static partial Regex GcpServiceAccountPattern();

    [GeneratedRegex("(?<![A-Za-z0-9_-])(?<secret>AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])")]
    private static partial Regex GcpApiKeyPattern();

    [GeneratedRegex("(?i)AccountKey[ \t]*=[ \t]*(?<secret>[A-Za-z0-9+/]{86}==)")]
    private static partial Regex AzureStorageKeyPattern();

    [GeneratedRegex("(?i)SharedAccessKey[ \t]*=[ \t]*(?<secret>[A-Za-z0-9+/]{43}=)")]
    private static partial Regex AzureSharedAccessKeyPattern();

    [GeneratedRegex("(?<![A-Za-z0-9_~.-])(?<secret>[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])")]
    private static partial Regex AzureAdClientSecretPattern();
}
