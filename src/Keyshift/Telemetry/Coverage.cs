namespace Keyshift.Telemetry;

/// <summary>
/// The time span a source's evidence covers: a log read from <see cref="From"/> up to <see cref="To"/>, or a
/// sample (From = To). A quiet-window gate holds only when the pieces cover the whole window.
/// </summary>
public sealed record Coverage(DateTimeOffset From, DateTimeOffset To)
{
    public static Coverage At(DateTimeOffset instant) => new(instant, instant);

    /// <summary>
    /// True when <paramref name="pieces"/> cover [<paramref name="from"/>, <paramref name="to"/>] with no hole longer than
    /// <paramref name="maxGap"/> (the sampling interval for samplers; zero for logs read continuously).
    /// </summary>
    public static bool Covers(IEnumerable<Coverage> pieces, DateTimeOffset from, DateTimeOffset to, TimeSpan maxGap)
    {
        var reached = from;
        var counted = false;
        foreach (var piece in pieces.OrderBy(p => p.From))
        {
            if (piece.To < reached - maxGap)
                continue;
            if (piece.From - reached > maxGap)
                return false;
            counted = true;
            if (piece.To > reached)
                reached = piece.To;
        }
        return counted && to - reached <= maxGap;
    }
}
