namespace Keyshift.Gateway;

/// <summary>Why shift mode fell back to legacy: which rule (<c>errorRate</c> or <c>diffRate</c>), how many of the window's answers crossed it, and the threshold.</summary>
internal sealed record ShiftTrip(string Rule, int Count, int Total, int ThresholdPercent)
{
    public override string ToString() => Rule == "diffRate"
        ? $"{Count} of {Total} shadow comparisons differed (diffRate {ThresholdPercent}%)"
        : $"{Count} of {Total} answers from new failed (errorRate {ThresholdPercent}%)";
}
