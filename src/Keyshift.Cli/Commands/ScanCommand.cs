using System.CommandLine;
using System.Text;
using Keyshift.Configuration;
using Keyshift.Scanning;
using Keyshift.Scanning.Reports;
using Spectre.Console;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift scan</c>: hardcoded secrets and references in files, git history or the staged index.</summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Files or folders to scan (default: the current folder). With --history or --staged: the repository folder.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var history = new Option<bool>("--history") { Description = "Scan every line ever added in the git history (all refs); each finding names its commit." };
        var staged = new Option<bool>("--staged") { Description = "Scan the lines staged for the next commit (for a pre-commit hook)." };
        var format = CommonOptions.Format("table", "json", "sarif", "junit");
        var baseline = new Option<FileInfo>("--baseline") { Description = "Suppress the secrets recorded in this baseline file (by content fingerprint, not position)." };
        var writeBaseline = new Option<FileInfo>("--write-baseline") { Description = "Record every secret found in this baseline file (keeps the salt of --baseline when both are given) and exit 0." };
        var noGitignore = new Option<bool>("--no-gitignore") { Description = "Scan files that .gitignore excludes too." };
        var maxFileSize = new Option<int?>("--max-file-size") { Description = "Skip files larger than this many MB (default 10, or scan.maxFileSize)." };
        var jobs = new Option<int?>("--jobs", "-j") { Description = "Files scanned at once (default: one per available core; 1 scans on one thread)." };
        var config = CommonOptions.Config();
        config.Description = "keyshift.yaml whose scan: section adds rules and allowlists; its workspace key fingerprints findings. Optional.";

        var command = new Command("scan",
            "Find hardcoded secrets and references to secrets in files, git history (--history) or the staged index (--staged). " +
            "Values are never printed: a finding shows rule, location, a keyed fingerprint and a masked length. " +
            "Exit 1 when secrets remain after baseline and allowlists (references alone do not fail), 2 on bad input.")
        {
            paths, history, staged, format, baseline, writeBaseline, noGitignore, maxFileSize, jobs, config,
        };
        command.SetAction(parse =>
        {
            var request = new ScanRequest
            {
                Paths = parse.GetValue(paths) is { Length: > 0 } given ? given : ["."],
                History = parse.GetValue(history),
                Staged = parse.GetValue(staged),
                ConfigPath = parse.GetResult(config) is { Implicit: false } ? parse.GetValue(config)!.FullName : null,
                BaselinePath = parse.GetValue(baseline)?.FullName,
                WriteBaselinePath = parse.GetValue(writeBaseline)?.FullName,
                RespectGitignore = !parse.GetValue(noGitignore),
                MaxFileBytes = parse.GetValue(maxFileSize) is { } mb and > 0 ? mb * 1024L * 1024L : null,
                Jobs = parse.GetValue(jobs) is { } n and > 0 ? n : null,
            };
            ScanReport report;
            try
            {
                report = ScanRun.Execute(request);
            }
            catch (BadInputException e)
            {
                // Handled here: System.CommandLine's default handler would turn it into exit code 1.
                foreach (var error in e.Errors)
                    parse.InvocationConfiguration.Error.WriteLine($"error: {error}");
                return ExitCodes.BadInput;
            }
            var output = parse.InvocationConfiguration.Output;
            switch (parse.GetValue(format))
            {
                case "json": WriteStream(output, s => JsonReport.Write(report, s)); break;
                case "sarif": WriteStream(output, s => SarifReport.Write(report, s, ToolVersion)); break;
                case "junit": WriteStream(output, s => JunitReport.Write(report, s)); break;
                default: WriteTable(report, output); break;
            }
            if (request.WriteBaselinePath is { } written)
            {
                parse.InvocationConfiguration.Error.WriteLine($"wrote baseline {written}");
                return ExitCodes.Success;
            }
            return report.SecretCount > 0 ? ExitCodes.Found : ExitCodes.Success;
        });
        return command;
    }

    private static string ToolVersion => typeof(ScanCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static void WriteStream(TextWriter output, Action<Stream> write)
    {
        using (var stream = OutputStream.Over(output))
            write(stream);
        output.WriteLine();
    }

    private const int PlainTableAbove = 2000;

    private static void WriteTable(ScanReport report, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = ReferenceEquals(output, Console.Out) ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ReferenceEquals(output, Console.Out) ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected)
            console.Profile.Width = 200;
        if (report.Findings.Count > PlainTableAbove)
        {
            // Spectre lays out a whole table in memory before it writes a line; past a few thousand rows plain columns.
            PlainTable.Write(output, ["Rule", "Kind", "Location", "Fingerprint", "Secret / reference"], report.Findings.Select(f => new[]
            {
                f.RuleId, f.Kind == FindingKind.Secret ? "secret" : "reference", f.Location.ToString(), f.Fingerprint?.Short ?? "", ScanReport.Detail(f),
            }));
        }
        else if (report.Findings.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumns("Rule", "Kind", "Location", "Fingerprint", "Secret / reference");
            foreach (var f in report.Findings)
            {
                table.AddRow(
                    new Text(f.RuleId),
                    new Text(f.Kind == FindingKind.Secret ? "secret" : "reference"),
                    new Text(f.Location.ToString()),
                    new Text(f.Fingerprint?.Short ?? ""),
                    new Text(ScanReport.Detail(f)));
            }
            console.Write(table);
        }
        var skipped = report.Notes.Where(n => n.Skipped).ToList();
        foreach (var note in report.Notes.Take(20))
            console.WriteLine($"{(note.Skipped ? "skipped" : "note")}: {note.Path}: {note.Reason}");
        if (report.Notes.Count > 20)
            console.WriteLine($"… and {report.Notes.Count - 20} more notes (--format json lists them all)");
        console.WriteLine(
            $"{report.SecretCount} secret(s), {report.ReferenceCount} reference(s)" +
            (report.Suppressed > 0 ? $", {report.Suppressed} suppressed by the baseline" : "") +
            (skipped.Count > 0 ? $", {skipped.Count} input(s) skipped" : ""));
    }
}
