namespace Keyshift.Inventory;

/// <summary>A coarse, human age: <c>3h</c>, <c>12d</c>, <c>2y40d</c>.</summary>
internal static class Age
{
    public static string Format(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
            return "0m";
        if (age.TotalHours < 1)
            return $"{(int)age.TotalMinutes}m";
        if (age.TotalDays < 1)
            return $"{(int)age.TotalHours}h";
        var days = (int)age.TotalDays;
        return days < 365 ? $"{days}d" : $"{days / 365}y{days % 365}d";
    }
}
