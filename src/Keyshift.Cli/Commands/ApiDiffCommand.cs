using System.CommandLine;
using Keyshift.Apis.Diff;
using Keyshift.Apis.Reports;
using Keyshift.Configuration;

namespace Keyshift.Cli.Commands;

/// <summary><c>keyshift api diff OLD NEW</c>: breaking changes between two OpenAPI documents, security and rate limits included.</summary>
internal static class ApiDiffCommand
{
    public static Command Create()
    {
        var oldArgument = new Argument<string>("OLD") { Description = "The current OpenAPI document (2.0, 3.0 or 3.1; YAML or JSON)." };
        var newArgument = new Argument<string>("NEW") { Description = "The proposed OpenAPI document." };
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit 1 when a change at or above this severity remains: breaking, warning or info.",
            DefaultValueFactory = _ => "breaking",
        };
        failOn.AcceptOnlyFromAmong("breaking", "warning", "info");
        var format = CommonOptions.Format("text", "json", "md", "junit", "sarif");
        var rules = new Option<string?>("--rules") { Description = "YAML file with severity overrides and ignores (each ignore needs a reason)." };
        var consumer = new Option<string?>("--consumer") { Description = "Name of the consumer whose view this is (shown in the report)." };
        var operations = new Option<string?>("--operations") { Description = "File listing the operations the consumer uses, one 'METHOD /path' per line (# comments)." };
        var uses = new Option<string?>("--uses") { Description = "Operations the consumer uses, comma-separated: \"GET /charges,POST /refunds,webhook orderPaid\"." };
        var changelog = new Option<bool>("--changelog") { Description = "Show every change, info included (default: breaking and warning)." };
        var command = new Command("diff", "Compare two OpenAPI documents: breaking changes, security scheme and rate-limit changes, " +
            "callbacks, webhooks and deprecations. Exit codes: 0 nothing at or above --fail-on; 1 changes at or above it; 2 bad input.")
        {
            oldArgument, newArgument, failOn, format, rules, consumer, operations, uses, changelog,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var threshold = SeverityText.Parse(parse.GetValue(failOn))!.Value;
                var options = new ApiDiffOptions
                {
                    OldPath = parse.GetValue(oldArgument)!,
                    NewPath = parse.GetValue(newArgument)!,
                    Rules = parse.GetValue(rules) is { } rulesPath ? DiffRules.Load(rulesPath) : DiffRules.None,
                    Uses = ReadUses(parse.GetValue(uses), parse.GetValue(operations)),
                    Today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime),
                };
                var result = ApiDiff.Run(options);
                var minimum = parse.GetValue(changelog) || threshold == Severity.Info ? Severity.Info : Severity.Warning;
                var shown = result.Changes.Where(c => c.Severity >= minimum).ToList();
                switch (parse.GetValue(format))
                {
                    case "json":
                        JsonReport.Write(result, shown, threshold, output);
                        break;
                    case "md":
                        MarkdownReport.Write(result, shown, threshold, output);
                        break;
                    case "junit":
                        JunitReport.Write(result, shown, threshold, output);
                        break;
                    case "sarif":
                        SarifReport.Write(shown, output, typeof(ApiDiffCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
                        break;
                    default:
                        ApiDiffTextReport.Write(result, shown, threshold, parse.GetValue(consumer), minimum, output);
                        break;
                }
                await output.FlushAsync(cancellation);
                return result.Fails(threshold) ? ExitCodes.Found : ExitCodes.Success;
            }
            catch (BadInputException e)
            {
                foreach (var problem in e.Errors)
                    await error.WriteLineAsync($"error: {problem}");
                return ExitCodes.BadInput;
            }
        });
        return command;
    }

    private static List<string>? ReadUses(string? uses, string? operationsFile)
    {
        if (uses is null && operationsFile is null)
            return null;
        var list = new List<string>();
        if (uses is not null)
            list.AddRange(uses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (operationsFile is not null)
        {
            if (!File.Exists(operationsFile))
                throw new BadInputException(null, operationsFile, "operations file not found");
            var lineNumber = 0;
            foreach (var raw in File.ReadLines(operationsFile))
            {
                lineNumber++;
                var line = raw.Split('#', 2)[0].Trim();
                if (line.Length == 0)
                    continue;
                if (line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 2)
                    throw new BadInputException(new SourceLocation(operationsFile, lineNumber), "", $"expected 'METHOD /path' or 'webhook NAME', got '{line}'");
                list.Add(line);
            }
        }
        return list;
    }
}
