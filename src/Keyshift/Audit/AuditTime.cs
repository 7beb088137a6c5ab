using System.Globalization;

namespace Keyshift.Audit;

/// <summary>The one time format of the audit log: ISO-8601 UTC with seven fractional digits, e.g. <c>2026-11-22T09:00:00.0000000Z</c>.</summary>
internal static class AuditTime
{
    public const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    public static bool TryParse(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
