using System.Text;

namespace Keyshift.Scanning.Sources;

/// <summary>
/// The files under the paths given: inside a git work tree through <c>git ls-files</c> (so .gitignore
/// applies), elsewhere by walking the folders without following directory links (so a link loop ends) and
/// applying the .gitignore files found on the way.
/// </summary>
internal sealed class FileWalker(ScanOptions options, List<InputNote> notes)
{
    public IEnumerable<(string FullPath, string DisplayPath)> Files(IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (File.Exists(full))
            {
                yield return (full, Display(path));
                continue;
            }
            if (!Directory.Exists(full))
            {
                notes.Add(new InputNote(path, "does not exist"));
                continue;
            }
            var listed = options.RespectGitignore ? GitListing(full) : null;
            var files = listed ?? Walk(full);
            foreach (var relative in files)
            {
                var display = path is "." or "./" ? relative : Path.Join(path, relative);
                if (options.Allow.AllowsPath(Display(display)))
                    continue;
                yield return (Path.Join(full, relative), Display(display));
            }
        }
    }

    private static string Display(string path)
    {
        var display = path.Replace('\\', '/');
        return display.StartsWith("./", StringComparison.Ordinal) ? display[2..] : display;
    }

    /// <summary>Tracked and untracked-but-not-ignored files, or null when the folder is not in a git work tree.</summary>
    private IEnumerable<string>? GitListing(string directory)
    {
        var (code, inside, _) = GitCommand.Run(directory, "rev-parse", "--is-inside-work-tree");
        if (code != 0 || inside.Trim() != "true")
            return null;
        return GitFiles(directory);
    }

    private IEnumerable<string> GitFiles(string directory)
    {
        using var git = GitCommand.Start(directory, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate", "--", ".");
        using var reader = new StreamReader(git.Output, Encoding.UTF8);
        var entry = new StringBuilder();
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (c != 0)
            {
                entry.Append((char)c);
                continue;
            }
            var relative = entry.ToString();
            entry.Clear();
            // A nested repository shows as its folder; deleted-but-tracked files no longer exist.
            if (relative.EndsWith('/'))
                continue;
            var full = Path.Join(directory, relative);
            var info = new FileInfo(full);
            if (info.LinkTarget is not null)
            {
                notes.Add(new InputNote(Display(relative), "symbolic link: not followed"));
                continue;
            }
            if (!info.Exists)
                continue;
            yield return relative;
        }
        if (git.Wait() != 0)
            notes.Add(new InputNote(Display(directory), $"git ls-files failed: {git.Errors}"));
    }

    /// <summary>
    /// Every file under <paramref name="root"/>, folders in name order, without following folder links. Outside a
    /// git work tree the .gitignore files found on the way still apply (unless --no-gitignore), so a checkout
    /// exported without its .git is scanned like the repository.
    /// </summary>
    private IEnumerable<string> Walk(string root)
    {
        var pending = new Stack<(string Directory, IgnoreFile[] Ignores)>();
        pending.Push((root, []));
        var enumeration = new EnumerationOptions { IgnoreInaccessible = false, RecurseSubdirectories = false, AttributesToSkip = 0 };
        while (pending.Count > 0)
        {
            var (directory, ignores) = pending.Pop();
            var folder = Relative(root, directory);
            List<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(directory).EnumerateFileSystemInfos("*", enumeration).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                notes.Add(new InputNote(Display(Path.GetRelativePath(root, directory)), "unreadable folder"));
                continue;
            }
            if (options.RespectGitignore && entries.Find(e => e.Name == ".gitignore" && e is FileInfo) is { } gitignore)
                ignores = LoadIgnoreFile(gitignore.FullName, folder) is { } file ? [.. ignores, file] : ignores;
            var subdirectories = new List<string>();
            foreach (var entry in entries)
            {
                var relative = Path.GetRelativePath(root, entry.FullName);
                var isFolder = entry is DirectoryInfo;
                if (entry.LinkTarget is not null && (isFolder || Directory.Exists(entry.FullName)))
                {
                    notes.Add(new InputNote(Display(relative), "symbolic link to a folder: not followed"));
                    continue;
                }
                if (isFolder && entry.Name == ".git")
                    continue;
                if (Ignored(ignores, Relative(root, entry.FullName), isFolder))
                    continue;
                if (isFolder)
                    subdirectories.Add(entry.FullName);
                else
                    yield return relative;
            }
            for (var i = subdirectories.Count - 1; i >= 0; i--)
                pending.Push((subdirectories[i], ignores));
        }
    }

    private static string Relative(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
        return relative == "." ? "" : relative;
    }

    /// <summary>A deeper .gitignore takes precedence over the ones above it; within one, the last matching line wins.</summary>
    private static bool Ignored(IgnoreFile[] ignores, string relative, bool isFolder)
    {
        for (var i = ignores.Length - 1; i >= 0; i--)
        {
            var folder = ignores[i].Folder;
            var below = folder.Length == 0 ? relative : relative[(folder.Length + 1)..];
            if (ignores[i].Decide(below, isFolder) is { } ignored)
                return ignored;
        }
        return false;
    }

    private IgnoreFile? LoadIgnoreFile(string path, string folder)
    {
        try
        {
            return IgnoreFile.Parse(folder, File.ReadAllLines(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            notes.Add(new InputNote(Display(Path.Join(folder, ".gitignore")), "unreadable .gitignore: not applied", Skipped: false));
            return null;
        }
    }
}
