using Keyshift.Apis.Diff;

namespace Keyshift.Apis.Reports;

/// <summary>A PR comment: a summary line, then one table per severity.</summary>
internal static class MarkdownReport
{
    public static void Write(ApiDiffResult result, IReadOnlyList<ApiChange> shown, Severity failOn, TextWriter output)
    {
        output.WriteLine($"## API diff: `{result.Old.File}` → `{result.New.File}`");
        output.WriteLine();
        var verdict = result.Fails(failOn) ? $"❌ changes at or above **{failOn.Name()}**" : "✅ no changes at or above " + $"**{failOn.Name()}**";
        output.WriteLine($"{verdict} — {result.Count(Severity.Breaking)} breaking, {result.Count(Severity.Warning)} warning, {result.Count(Severity.Info)} info{(result.Ignored > 0 ? $", {result.Ignored} ignored by rules" : "")}.");
        foreach (var group in shown.GroupBy(c => c.Severity).OrderByDescending(g => g.Key))
        {
            output.WriteLine();
            output.WriteLine($"### {Title(group.Key)} ({group.Count()})");
            output.WriteLine();
            output.WriteLine("| check | change | operations | location |");
            output.WriteLine("| --- | --- | --- | --- |");
            foreach (var change in group)
            {
                var operations = string.Join("<br>", change.Operations.Take(5).Select(o => $"`{Escape(o)}`")) + (change.Operations.Count > 5 ? $"<br>+{change.Operations.Count - 5} more" : "");
                output.WriteLine($"| {change.Check.Id} {change.Check.Name} | {Escape(change.Message)} | {operations} | {Escape(change.Primary.File)}:{change.Primary.Line} |");
            }
        }
    }

    private static string Title(Severity severity) => severity switch
    {
        Severity.Breaking => "Breaking",
        Severity.Warning => "Warnings",
        _ => "Info",
    };

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
