namespace Keyshift.Tests.Support;

/// <summary>A fresh directory under the system temp folder, removed on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "keyshift-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public string Write(string relative, string content)
    {
        var full = File(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, content);
        return full;
    }

    /// <summary>
    /// Every file below the folder with the SHA-256 of its bytes, to prove that nothing changed (strings, so that
    /// comparing two snapshots compares contents, not array references).
    /// </summary>
    public IReadOnlyDictionary<string, string> Snapshot(string? except = null) =>
        Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories)
            .Where(f => except is null || !f.Contains(except, StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToDictionary(f => System.IO.Path.GetRelativePath(Path, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.IO.File.ReadAllBytes(f))));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
