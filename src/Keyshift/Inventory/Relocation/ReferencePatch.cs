using System.Text;
using Keyshift.Stores;

namespace Keyshift.Inventory.Relocation;

/// <summary>
/// The reference rewrite as a reviewable unified diff and as an in-place edit. A line cannot be removed
/// in a diff without quoting it, so the removed line shows each value as <c>***</c>: the patch is for
/// reading, not for <c>git apply</c>. The edit itself replaces the exact character span the scan
/// reported (line, column, the value's length), after checking that the span still holds the value.
/// </summary>
internal static class ReferencePatch
{
    public const string FileName = "keyshift-references.patch";

    public static string Write(RelocationProposal proposal, out IReadOnlyList<string> skipped)
    {
        var patch = new StringBuilder();
        patch.Append("# keyshift-references.patch, written by `keyshift init --from-scan`. Each hardcoded value becomes ${NAME};\n");
        patch.Append("# removed lines show values as ***, so this is for review (`git apply` cannot use it). Hunks marked [source store]\n");
        patch.Append("# are made by `keyshift apply --until cutover`, after the move has copied the value; the others are made by\n");
        patch.Append("# `keyshift init --from-scan --apply`, or by hand.\n");
        var notes = new List<string>();
        foreach (var file in proposal.Files)
        {
            var text = File.ReadAllText(file.FullPath);
            var spans = Spans(text, file.Replacements, file.DisplayPath, notes);
            if (spans.Count == 0)
                continue;
            patch.Append($"--- a/{file.DisplayPath}\n+++ b/{file.DisplayPath}\n");
            foreach (var hunk in spans.GroupBy(s => LineStart(text, s.Start)))
            {
                var first = hunk.First();
                var lineStart = hunk.Key;
                var lineEnd = LineEnd(text, hunk.Max(s => s.Start + s.Length));
                var oldLines = text[lineStart..lineEnd].Count(c => c == '\n') + 1;
                var masked = Rewrite(text, lineStart, lineEnd, hunk, _ => "***");
                var rewritten = Rewrite(text, lineStart, lineEnd, hunk, s => "${" + s.Name + "}");
                var where = string.Join("; ", hunk.Select(s => $"column {s.Column}, {s.Length} characters, fingerprint {s.Fingerprint} → ${{{s.Name}}}"));
                patch.Append($"@@ -{first.Line},{oldLines} +{first.Line},1 @@{(file.IsSource ? " [source store]" : "")} {where}\n");
                patch.Append('-').Append(masked).Append('\n');
                patch.Append('+').Append(rewritten).Append('\n');
            }
        }
        skipped = notes;
        return patch.ToString();
    }

    /// <summary>Rewrites the files that no store move reads (those keep their values until cutover has the migration rewrite them); a .bak copy of each is kept.</summary>
    public static IReadOnlyList<string> Apply(RelocationProposal proposal)
    {
        var rewritten = new List<string>();
        var notes = new List<string>();
        foreach (var file in proposal.Files.Where(f => !f.IsSource))
        {
            var bytes = File.ReadAllBytes(file.FullPath);
            var text = Encoding.UTF8.GetString(bytes);
            var spans = Spans(text, file.Replacements, file.DisplayPath, notes);
            if (spans.Count == 0)
                continue;
            var result = new StringBuilder(text.Length);
            var at = 0;
            foreach (var span in spans)
            {
                result.Append(text, at, span.Start - at).Append("${").Append(span.Name).Append('}');
                at = span.Start + span.Length;
            }
            result.Append(text, at, text.Length - at);
            File.WriteAllBytes(file.FullPath + ".bak", bytes);
            AtomicFile.Write(file.FullPath, Encoding.UTF8.GetBytes(result.ToString()));
            rewritten.Add(file.DisplayPath);
        }
        return rewritten;
    }

    private sealed record Span(int Start, int Length, int Line, int Column, string Name, string Fingerprint);

    /// <summary>Character spans from scan locations, in order, without overlaps; a span that no longer holds its value is left out and noted.</summary>
    private static List<Span> Spans(string text, IReadOnlyList<Replacement> replacements, string display, List<string> notes)
    {
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
                lineStarts.Add(i + 1);
        }
        var spans = new List<Span>();
        foreach (var r in replacements)
        {
            var value = r.Value.IsUtf8 ? r.Value.RevealUtf8() : null;
            var start = r.Line - 1 < lineStarts.Count ? lineStarts[r.Line - 1] + r.Column - 1 : -1;
            if (value is null || start < 0 || start + value.Length > text.Length || !text.AsSpan(start, value.Length).SequenceEqual(value))
            {
                notes.Add($"{display}:{r.Line}:{r.Column}: the file changed since the scan; left as it is");
                continue;
            }
            if (spans.Count > 0 && spans[^1].Start + spans[^1].Length > start)
                continue;
            spans.Add(new Span(start, value.Length, r.Line, r.Column, r.Name, r.Fingerprint.Short));
        }
        return spans;
    }

    private static int LineStart(string text, int index) => index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;

    private static int LineEnd(string text, int index)
    {
        var end = text.IndexOf('\n', index);
        end = end < 0 ? text.Length : end;
        return end > 0 && text[end - 1] == '\r' ? end - 1 : end;
    }

    private static string Rewrite(string text, int lineStart, int lineEnd, IEnumerable<Span> spans, Func<Span, string> replace)
    {
        var line = new StringBuilder();
        var at = lineStart;
        foreach (var span in spans)
        {
            line.Append(text, at, span.Start - at).Append(replace(span));
            at = span.Start + span.Length;
        }
        return line.Append(text, at, lineEnd - at).ToString();
    }
}
