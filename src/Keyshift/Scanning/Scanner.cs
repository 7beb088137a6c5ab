using System.Buffers;
using System.Text;
using Keyshift.Configuration;
using Keyshift.Scanning.Sources;

namespace Keyshift.Scanning;

/// <summary>
/// The scanning API: files (honouring .gitignore), git history, or the staged index, yielding findings as
/// they are found. <see cref="Notes"/> lists what was skipped and why once the enumeration is done.
/// </summary>
internal sealed class Scanner(ScanOptions options)
{
    private readonly List<InputNote> _notes = [];

    public IReadOnlyList<InputNote> Notes => _notes;

    /// <summary>Scans files and folders; what <c>init --from-scan</c> and the inventory call.</summary>
    public static IEnumerable<Finding> ScanFiles(IReadOnlyList<string> paths, ScanOptions options) => new Scanner(options).ScanFiles(paths);

    public IEnumerable<Finding> ScanFiles(IReadOnlyList<string> paths)
    {
        var content = new ContentScanner(options);
        var found = new List<Finding>();
        using var reader = new FileContent();
        foreach (var (fullPath, displayPath) in new FileWalker(options, _notes).Files(paths))
        {
            found.Clear();
            if (!ScanFile(reader, content, fullPath, displayPath, found))
                continue;
            foreach (var finding in found)
                yield return finding;
        }
    }

    /// <summary>Every line ever added on any ref, one hunk at a time; each finding names its commit.</summary>
    public IEnumerable<Finding> ScanHistory(string repository) =>
        ScanDiff(repository, "log", "-p", "-U0", "--no-ext-diff", "--no-textconv", "--no-renames", "--full-history", "--all", "--format=%x01commit %H");

    /// <summary>The lines a commit of the index would add, for pre-commit hooks.</summary>
    public IEnumerable<Finding> ScanStaged(string repository) =>
        ScanDiff(repository, "diff", "--cached", "-p", "-U0", "--no-ext-diff", "--no-textconv", "--no-renames", "--diff-filter=d");

    /// <summary>Scans text as if it were the file <paramref name="path"/> (rule samples, tests).</summary>
    public IReadOnlyList<Finding> ScanText(string text, string path)
    {
        var found = new List<Finding>();
        new ContentScanner(options).Scan(text, ScanTarget.For(path), found);
        return found;
    }

    private bool ScanFile(FileContent reader, ContentScanner content, string fullPath, string displayPath, List<Finding> found)
    {
        if (!reader.TryRead(fullPath, options.MaxFileBytes, out var text, out var reason, out var note))
        {
            _notes.Add(new InputNote(displayPath, reason!));
            return false;
        }
        if (note is not null)
            _notes.Add(new InputNote(displayPath, note, Skipped: false));
        content.Scan(text, ScanTarget.For(displayPath), found);
        return found.Count > 0;
    }

    private IEnumerable<Finding> ScanDiff(string repository, params string[] arguments)
    {
        RequireRepository(repository);
        var content = new ContentScanner(options);
        var found = new List<Finding>();
        var buffer = ArrayPool<char>.Shared.Rent(64 * 1024);
        using var git = GitCommand.Start(repository, arguments);
        using var output = new StreamReader(git.Output, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
        var diff = new DiffReader(output, (int)Math.Min(int.MaxValue / 4, options.MaxFileBytes));
        try
        {
            while (diff.Next())
            {
                var added = diff.Added;
                if (options.Allow.AllowsPath(diff.Path))
                    continue;
                if (added.Length > buffer.Length)
                {
                    ArrayPool<char>.Shared.Return(buffer);
                    buffer = ArrayPool<char>.Shared.Rent(added.Length);
                }
                added.CopyTo(0, buffer, added.Length);
                found.Clear();
                content.Scan(buffer.AsSpan(0, added.Length), ScanTarget.For(diff.Path, diff.Commit, diff.FirstLine), found);
                foreach (var finding in found)
                    yield return finding;
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
        if (git.Wait() != 0)
            throw new BadInputException($"{repository}: git {arguments[0]} failed: {git.Errors}");
    }

    private static void RequireRepository(string repository)
    {
        if (!Directory.Exists(repository))
            throw new BadInputException($"{repository}: does not exist");
        var (code, _, errors) = GitCommand.Run(repository, "rev-parse", "--git-dir");
        if (code != 0)
            throw new BadInputException($"{repository}: not a git repository ({errors.Split('\n')[0].Trim()}); --history and --staged need one");
    }
}
