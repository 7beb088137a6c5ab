namespace Keyshift.Apis.Diff;

internal static class SeverityText
{
    public static string Name(this Severity severity) => severity switch
    {
        Severity.Breaking => "breaking",
        Severity.Warning => "warning",
        _ => "info",
    };

    public static Severity? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "breaking" or "error" => Severity.Breaking,
        "warning" or "warn" => Severity.Warning,
        "info" => Severity.Info,
        _ => null,
    };
}
