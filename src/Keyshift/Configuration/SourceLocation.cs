namespace Keyshift.Configuration;

/// <summary>A place in an input file, 1-based, for error messages.</summary>
public sealed record SourceLocation(string File, int Line, int Column = 0)
{
    public override string ToString() => Column > 0 ? $"{File}:{Line}:{Column}" : $"{File}:{Line}";
}
