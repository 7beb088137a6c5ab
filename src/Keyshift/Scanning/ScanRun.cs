using Keyshift.Configuration;
using Keyshift.Scanning.Baselines;
using Keyshift.Scanning.Configuration;
using Keyshift.Scanning.Reports;
using Keyshift.Secrets;

namespace Keyshift.Scanning;

/// <summary>
/// One <c>keyshift scan</c>: picks the fingerprint key (workspace key with -c, else the baseline's, else a
/// key for this run only), scans, drops what the baseline knows, and writes a new baseline when asked.
/// </summary>
internal static class ScanRun
{
    public static ScanReport Execute(ScanRequest request)
    {
        if (request.History && request.Staged)
            throw new BadInputException("--history and --staged cannot be combined");
        var config = ScanConfig.Empty;
        FingerprintKey? workspaceKey = null;
        if (request.ConfigPath is { } configPath)
        {
            if (!File.Exists(configPath))
                throw new BadInputException(new SourceLocation(configPath, 1), "", "config file does not exist");
            config = ScanSettings.Load(configPath);
            workspaceKey = FingerprintKey.LoadOrCreate(new Workspace(configPath).KeyPath);
        }
        var baseline = request.BaselinePath is { } baselinePath
            ? File.Exists(baselinePath) ? Baseline.Load(baselinePath) : throw new BadInputException(new SourceLocation(baselinePath, 1), "baseline", "file does not exist")
            : null;
        // Rewriting a baseline keeps its salt, so fingerprints already committed stay valid.
        var target = request.WriteBaselinePath is null ? null : baseline ?? Baseline.CreateEmpty();
        var baselineKey = (baseline ?? target)?.Key;
        var options = new ScanOptions
        {
            FingerprintKey = workspaceKey ?? baselineKey ?? FingerprintKey.CreateRandom(),
            BaselineKey = baselineKey,
            Rules = Rules.RuleSet.BuiltIn.With(config.Rules),
            Allow = config.Allow,
            RespectGitignore = request.RespectGitignore,
            MaxFileBytes = request.MaxFileBytes ?? config.MaxFileBytes ?? new ScanOptions().MaxFileBytes,
            Parallelism = request.Jobs ?? Environment.ProcessorCount,
        };
        var scanner = new Scanner(options);
        var all = new List<Finding>();
        foreach (var path in request.Paths)
        {
            if (!request.History && !request.Staged)
                break;
            if (!Directory.Exists(path))
                throw new BadInputException($"{path}: not a folder; --history and --staged take the repository folder");
            all.AddRange(request.History ? scanner.ScanHistory(path) : scanner.ScanStaged(path));
        }
        if (!request.History && !request.Staged)
        {
            var missing = request.Paths.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
            if (missing.Count > 0)
                throw new BadInputException([.. missing.Select(p => new InputError(null, "", $"{p}: does not exist"))]);
            all.AddRange(scanner.ScanFiles(request.Paths));
        }
        var diff = request.History || request.Staged;
        var root = request.Paths.Count == 1 && Directory.Exists(request.Paths[0]) ? Path.GetFullPath(request.Paths[0]) : Directory.GetCurrentDirectory();
        if (target is not null)
            target.Write(request.WriteBaselinePath!, all);
        var kept = all.Where(f => baseline is null || !baseline.Suppresses(f)).ToList();
        return new ScanReport
        {
            Findings = kept,
            Notes = scanner.Notes,
            Rules = options.Rules,
            Suppressed = all.Count - kept.Count,
            Root = root,
            PathsRelativeToRoot = diff,
        };
    }
}
