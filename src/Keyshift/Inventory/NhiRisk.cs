namespace Keyshift.Inventory;

/// <summary>The OWASP Non-Human Identities Top 10 (2025) risks the inventory reports.</summary>
internal static class NhiRisk
{
    public const string ImproperOffboarding = "NHI1";
    public const string SecretLeakage = "NHI2";
    public const string LongLivedSecrets = "NHI7";
    public const string EnvironmentIsolation = "NHI8";
    public const string Reuse = "NHI9";

    public static string Title(string id) => id switch
    {
        ImproperOffboarding => "Improper Offboarding",
        SecretLeakage => "Secret Leakage",
        LongLivedSecrets => "Long-Lived Secrets",
        EnvironmentIsolation => "Environment Isolation",
        Reuse => "NHI Reuse",
        _ => id,
    };
}
