namespace Keyshift.Apis.Diff;

/// <summary>Where a change is, in one of the two documents: file, JSON pointer and 1-based line.</summary>
internal sealed record ApiLocation(string File, string Pointer, int Line)
{
    public override string ToString() => $"{File}:{Line} (#{Pointer})";
}
