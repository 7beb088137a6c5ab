using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Contracts;

/// <summary>A documented rate limit from an <c>x-rate-limit</c>/<c>x-ratelimit-*</c> extension: a number of requests per window.</summary>
internal sealed record RateLimit(string Key, double Limit, TimeSpan? Window, ApiNode Node)
{
    public double? PerSecond => Window is { TotalSeconds: > 0 } w ? Limit / w.TotalSeconds : null;

    public string Describe() => Window is { } w ? $"{Limit:0.##} per {DescribeWindow(w)}" : $"{Limit:0.##}";

    private static string DescribeWindow(TimeSpan w) => w.TotalSeconds switch
    {
        1 => "second",
        60 => "minute",
        3600 => "hour",
        86400 => "day",
        _ when w.TotalSeconds % 3600 == 0 => $"{w.TotalHours:0}h",
        _ when w.TotalSeconds % 60 == 0 => $"{w.TotalMinutes:0}m",
        _ => $"{w.TotalSeconds:0.##}s",
    };
}
