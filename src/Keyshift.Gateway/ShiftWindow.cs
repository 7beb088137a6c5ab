namespace Keyshift.Gateway;

/// <summary>The latest outcomes of one kind (failed answers, differing comparisons) over a sliding window; guarded by the caller's lock.</summary>
internal sealed class ShiftWindow(int size)
{
    private readonly bool[] _window = new bool[size];
    private int _next;

    public int Count { get; private set; }

    public int Hits { get; private set; }

    public void Add(bool hit)
    {
        if (Count == _window.Length && _window[_next])
            Hits--;
        _window[_next] = hit;
        if (hit)
            Hits++;
        _next = (_next + 1) % _window.Length;
        Count = Math.Min(Count + 1, _window.Length);
    }

    /// <summary>True when the window holds enough outcomes and the share of hits reaches <paramref name="percent"/>.</summary>
    public bool Crosses(int minimum, int percent) => Count >= minimum && Hits > 0 && Hits * 100 >= percent * Count;
}
