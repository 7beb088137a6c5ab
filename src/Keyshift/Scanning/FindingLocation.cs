namespace Keyshift.Scanning;

/// <summary>Where a finding is: a path (relative as given, or to the repository), 1-based line and column, and the commit for history.</summary>
internal sealed record FindingLocation(string Path, int Line, int Column, string? Commit = null)
{
    public override string ToString()
    {
        var where = $"{Path}:{Line}:{Column}";
        return Commit is null ? where : $"{Commit[..Math.Min(12, Commit.Length)]}:{where}";
    }
}
