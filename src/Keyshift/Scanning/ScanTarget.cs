namespace Keyshift.Scanning;

/// <summary>What a piece of content is: its path, the commit it comes from (history), the file line of its first line, its family.</summary>
internal readonly record struct ScanTarget(string Path, FileKinds Kind, string? Commit = null, int FirstLine = 1)
{
    public static ScanTarget For(string path, string? commit = null, int firstLine = 1) => new(path, FileKind.Of(path), commit, firstLine);
}
