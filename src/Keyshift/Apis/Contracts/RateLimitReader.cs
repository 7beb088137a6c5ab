using System.Globalization;
using System.Text.RegularExpressions;
using Keyshift.Apis.Documents;
using Keyshift.Configuration;

namespace Keyshift.Apis.Contracts;

/// <summary>
/// Reads documented rate limits from <c>x-rate-limit</c> / <c>x-ratelimit</c> extensions (a number, <c>"100/minute"</c>,
/// <c>"1000 per hour"</c> or <c>{limit: 100, window: 1m}</c>) and <c>x-ratelimit-*</c> numbers with an optional
/// <c>x-ratelimit-window</c> beside them. The operation's own extensions win over its path item's and the document's.
/// </summary>
internal static partial class RateLimitReader
{
    private static readonly string[] LimitFields = ["limit", "requests", "rate", "max", "value", "count", "quota"];
    private static readonly string[] WindowFields = ["window", "period", "per", "interval", "unit", "duration"];
    private static readonly HashSet<string> WindowSuffixes = new(StringComparer.OrdinalIgnoreCase) { "window", "period", "interval", "per", "unit", "duration", "reset", "policy" };

    public static IReadOnlyList<RateLimit> Read(params ApiNode?[] levels)
    {
        var byKey = new Dictionary<string, RateLimit>(StringComparer.OrdinalIgnoreCase);
        foreach (var level in levels.Reverse())
        {
            if (level is not { IsObject: true })
                continue;
            foreach (var limit in ReadLevel(level))
                byKey[limit.Key] = limit;
        }
        return byKey.Values.ToList();
    }

    private static IEnumerable<RateLimit> ReadLevel(ApiNode node)
    {
        foreach (var (key, value) in node.Properties)
        {
            var match = ExtensionKey().Match(key);
            if (!match.Success)
                continue;
            var suffix = match.Groups["suffix"].Value;
            if (suffix.Length == 0)
            {
                if (value.IsObject)
                {
                    var limit = LimitFields.Select(value.Number).FirstOrDefault(n => n is not null);
                    var window = WindowFields.Select(f => value[f]).FirstOrDefault(w => w is not null);
                    if (limit is { } l)
                        yield return new RateLimit(key, l, ParseWindow(window?.Scalar), value);
                }
                else if (value.Scalar is { } text && ParseRate(text) is { } rate)
                    yield return new RateLimit(key, rate.Limit, rate.Window, value);
            }
            else if (!WindowSuffixes.Contains(suffix) && value.Scalar is { } text && ParseRate(text) is { } rate)
            {
                var sibling = WindowSuffixes.Select(s => node[$"{match.Groups["prefix"].Value}-{s}"]).FirstOrDefault(n => n is not null);
                yield return new RateLimit(key, rate.Limit, rate.Window ?? ParseWindow(sibling?.Scalar), value);
            }
        }
    }

    public static (double Limit, TimeSpan? Window)? ParseRate(string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
            return (plain, null);
        var match = RateText().Match(text);
        if (!match.Success)
            return null;
        var limit = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        return ParseWindow(match.Groups["w"].Value) is { } window ? (limit, window) : null;
    }

    public static TimeSpan? ParseWindow(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        text = text.Trim().ToLowerInvariant();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(seconds);
        var match = WindowText().Match(text);
        if (!match.Success)
            return DurationText.TryParse(text, out var duration) ? duration : null;
        var count = match.Groups["n"].Success ? double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) : 1;
        TimeSpan? unit = match.Groups["u"].Value switch
        {
            "s" or "sec" or "secs" or "second" or "seconds" => TimeSpan.FromSeconds(1),
            "m" or "min" or "mins" or "minute" or "minutes" => TimeSpan.FromMinutes(1),
            "h" or "hr" or "hrs" or "hour" or "hours" => TimeSpan.FromHours(1),
            "d" or "day" or "days" => TimeSpan.FromDays(1),
            _ => null,
        };
        return unit * count;
    }

    [GeneratedRegex(@"^(?<n>\d+(?:\.\d+)?)?\s*(?<u>[a-z]+)$")]
    private static partial Regex WindowText();

    [GeneratedRegex(@"^(?<prefix>x-rate-?limits?)(?:-(?<suffix>.+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex ExtensionKey();

    [GeneratedRegex(@"^\s*(?<n>\d+(?:\.\d+)?)\s*(?:req(?:uest)?s?|calls?)?\s*(?:/|per)\s*(?<w>.+?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex RateText();
}
