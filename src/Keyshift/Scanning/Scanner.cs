using System.Buffers;
using System.Text;
using System.Threading.Channels;
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
        var files = new FileWalker(options, _notes).Files(paths);
        return options.Parallelism > 1 ? ScanInParallel(files) : ScanInOrder(files);
    }

    private IEnumerable<Finding> ScanInOrder(IEnumerable<(string FullPath, string DisplayPath)> files)
    {
        var content = new ContentScanner(options);
        var found = new List<Finding>();
        using var reader = new FileContent();
        foreach (var (fullPath, displayPath) in files)
        {
            found.Clear();
            if (!ScanFile(reader, content, fullPath, displayPath, found, _notes))
                continue;
            foreach (var finding in found)
                yield return finding;
        }
    }

    /// <summary>
    /// Files are read and scanned by <see cref="ScanOptions.Parallelism"/> workers fed through a bounded channel, each
    /// with its own buffers and scanner; findings and notes come out in the order of the files, as in a sequential scan,
    /// and at most a small window of files is held at once. The walk stays on this thread.
    /// </summary>
    private IEnumerable<Finding> ScanInParallel(IEnumerable<(string FullPath, string DisplayPath)> files)
    {
        var workers = options.Parallelism;
        var window = workers * 8;
        var queue = Channel.CreateBounded<FileJob>(new BoundedChannelOptions(window) { SingleWriter = true });
        var running = Enumerable.Range(0, workers).Select(_ => Task.Run(() => Work(queue.Reader))).ToArray();
        var pending = new Queue<FileJob>();
        try
        {
            foreach (var (fullPath, displayPath) in files)
            {
                var job = new FileJob(fullPath, displayPath);
                pending.Enqueue(job);
                if (!queue.Writer.TryWrite(job))
                    queue.Writer.WriteAsync(job).AsTask().GetAwaiter().GetResult();
                // Draining only past a fixed window (not whenever a job happens to be done) keeps the order of notes
                // from the walk and from the files the same on every run.
                while (pending.Count > window)
                {
                    foreach (var finding in Finish(pending.Dequeue()))
                        yield return finding;
                }
            }
            queue.Writer.Complete();
            while (pending.Count > 0)
            {
                foreach (var finding in Finish(pending.Dequeue()))
                    yield return finding;
            }
        }
        finally
        {
            // Also when the caller stops early: the workers finish what is queued and end.
            queue.Writer.TryComplete();
            Task.WaitAll(running);
        }
    }

    private List<Finding> Finish(FileJob job)
    {
        job.Done.Task.GetAwaiter().GetResult();
        _notes.AddRange(job.Notes);
        return job.Found;
    }

    private async Task Work(ChannelReader<FileJob> queue)
    {
        var content = new ContentScanner(options);
        using var reader = new FileContent();
        await foreach (var job in queue.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                ScanFile(reader, content, job.FullPath, job.DisplayPath, job.Found, job.Notes);
                job.Done.SetResult();
            }
            catch (Exception e)
            {
                job.Done.SetException(e);
            }
        }
    }

    /// <summary>
    /// Every line ever added on any ref, one hunk at a time; each finding names its commit. Secrets come as they are
    /// found. A reference is re-added by every commit that rewrites its line, so references are tallied by rule, path and
    /// name and come last, once each, with the newest commit that added them and <see cref="Finding.Occurrences"/>:
    /// memory grows with the distinct references, not with the length of history.
    /// </summary>
    public IEnumerable<Finding> ScanHistory(string repository)
    {
        var references = new Dictionary<(string Rule, string Path, string? Name), (Finding First, int Count)>();
        foreach (var finding in HistoryDiffs(repository))
        {
            if (finding.Kind == FindingKind.Secret)
            {
                yield return finding;
                continue;
            }
            var key = (finding.RuleId, finding.Location.Path, finding.ReferenceName);
            references[key] = references.TryGetValue(key, out var seen) ? (seen.First, seen.Count + 1) : (finding, 1);
        }
        foreach (var (first, count) in references.Values)
            yield return count == 1 ? first : first with { Occurrences = count };
    }

    /// <summary>The lines a commit of the index would add, for pre-commit hooks.</summary>
    public IEnumerable<Finding> ScanStaged(string repository)
    {
        RequireRepository(repository);
        return ScanDiff(repository, "diff", "--cached", "-p", "-U0", "--no-ext-diff", "--no-textconv", "--no-renames", "--diff-filter=d");
    }

    /// <summary>
    /// The findings in every commit's added lines, newest first. One <c>git log --all -p</c> kept every commit it had
    /// walked in memory (126 MB for 30,000 commits); instead <c>git rev-list --all</c> streams the commit ids and
    /// <c>git log -p --no-walk</c> shows them <see cref="ScanOptions.HistoryBatch"/> at a time, so git's memory is bounded too.
    /// </summary>
    private IEnumerable<Finding> HistoryDiffs(string repository)
    {
        RequireRepository(repository);
        using var revisions = GitCommand.Start(repository, "rev-list", "--all", "--full-history");
        using var ids = new StreamReader(revisions.Output, Encoding.ASCII);
        var batch = new List<string>(options.HistoryBatch);
        string? id;
        while ((id = ids.ReadLine()) is not null)
        {
            if (id.Length == 0)
                continue;
            batch.Add(id);
            if (batch.Count < options.HistoryBatch)
                continue;
            foreach (var finding in Commits(repository, batch))
                yield return finding;
            batch.Clear();
        }
        foreach (var finding in Commits(repository, batch))
            yield return finding;
        if (revisions.Wait() != 0)
            throw new BadInputException($"{repository}: git rev-list failed: {revisions.Errors}");
    }

    /// <summary>Scans text as if it were the file <paramref name="path"/> (rule samples, tests).</summary>
    public IReadOnlyList<Finding> ScanText(string text, string path)
    {
        var found = new List<Finding>();
        new ContentScanner(options).Scan(text, ScanTarget.For(path), found);
        return found;
    }

    private bool ScanFile(FileContent reader, ContentScanner content, string fullPath, string displayPath, List<Finding> found, List<InputNote> notes)
    {
        if (!reader.TryRead(fullPath, options.MaxFileBytes, out var text, out var reason, out var note))
        {
            notes.Add(new InputNote(displayPath, reason!));
            return false;
        }
        if (note is not null)
            notes.Add(new InputNote(displayPath, note, Skipped: false));
        content.Scan(text, ScanTarget.For(displayPath), found);
        return found.Count > 0;
    }

    /// <summary>The added lines of the given commits, each against its first parent (nothing for merges, as <c>git log -p</c>).</summary>
    private IEnumerable<Finding> Commits(string repository, List<string> ids) => ids.Count == 0
        ? []
        : ScanDiff(repository, ["log", "-p", "-U0", "--no-ext-diff", "--no-textconv", "--no-renames", "--no-walk=unsorted", "--format=%x01commit %H", .. ids, "--"]);

    private IEnumerable<Finding> ScanDiff(string repository, params string[] arguments)
    {
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
