using System.Globalization;

namespace Keyshift.Configuration;

/// <summary>Durations as written in <c>keyshift.yaml</c>: <c>0s</c>, <c>500ms</c>, <c>15m</c>, <c>72h</c>, <c>30d</c>, <c>1h30m</c>.</summary>
public static class DurationText
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var span = text.AsSpan().Trim();
        if (span.IsEmpty)
            return false;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && char.IsAsciiDigit(span[digits]))
                digits++;
            if (digits == 0 || !long.TryParse(span[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                return false;
            span = span[digits..];
            TimeSpan unit;
            if (span.StartsWith("ms")) { unit = TimeSpan.FromMilliseconds(1); span = span[2..]; }
            else if (span.StartsWith("s")) { unit = TimeSpan.FromSeconds(1); span = span[1..]; }
            else if (span.StartsWith("m")) { unit = TimeSpan.FromMinutes(1); span = span[1..]; }
            else if (span.StartsWith("h")) { unit = TimeSpan.FromHours(1); span = span[1..]; }
            else if (span.StartsWith("d")) { unit = TimeSpan.FromDays(1); span = span[1..]; }
            else if (span.StartsWith("w")) { unit = TimeSpan.FromDays(7); span = span[1..]; }
            else return false;
            value += unit * n;
        }
        return true;
    }

    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        if (value.TotalDays >= 1 && value.Ticks % TimeSpan.TicksPerDay == 0) return $"{(long)value.TotalDays}d";
        if (value.Ticks % TimeSpan.TicksPerHour == 0) return $"{(long)value.TotalHours}h";
        if (value.Ticks % TimeSpan.TicksPerMinute == 0) return $"{(long)value.TotalMinutes}m";
        if (value.Ticks % TimeSpan.TicksPerSecond == 0) return $"{(long)value.TotalSeconds}s";
        return $"{(long)value.TotalMilliseconds}ms";
    }
}
