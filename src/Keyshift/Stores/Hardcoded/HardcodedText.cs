using Keyshift.Secrets;

namespace Keyshift.Stores.Hardcoded;

/// <summary>
/// Finds the declared spans in a file's text. Spans on one line are taken left to right, and a span that
/// already holds its reference shifts the ones after it by the difference in length, so a line rewritten
/// in part (one batch of several) is still found exactly.
/// </summary>
internal static class HardcodedText
{
    public static List<LocatedSpan> Locate(string text, IReadOnlyList<HardcodedSpan> spans, FingerprintKey key)
    {
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
                lineStarts.Add(i + 1);
        }
        var located = new List<LocatedSpan>(spans.Count);
        foreach (var line in spans.GroupBy(s => s.Line))
        {
            var shift = 0;
            var lineStart = line.Key <= lineStarts.Count ? lineStarts[line.Key - 1] : -1;
            var lineEnd = line.Key < lineStarts.Count ? lineStarts[line.Key] - 1 : text.Length;
            foreach (var span in line.OrderBy(s => s.Column))
            {
                var start = lineStart < 0 ? -1 : lineStart + span.Column - 1 + shift;
                var state = StateAt(text, start, lineEnd, span, key);
                if (state == SpanState.Rewritten)
                    shift += span.Reference.Length - span.Length;
                located.Add(new LocatedSpan(span, start, state));
            }
        }
        return located;
    }

    /// <summary>
    /// Replaces spans by new text in one pass. Offsets are those of the text as read, so the edits are
    /// independent of each other; the order is the file's (the right-to-left reading of the same edits).
    /// </summary>
    public static string Replace(string text, IEnumerable<(LocatedSpan Span, string With)> edits)
    {
        var result = new System.Text.StringBuilder(text.Length);
        var at = 0;
        foreach (var (span, with) in edits.OrderBy(e => e.Span.Start))
        {
            result.Append(text, at, span.Start - at).Append(with);
            at = span.Start + span.Length;
        }
        return result.Append(text, at, text.Length - at).ToString();
    }

    private static SpanState StateAt(string text, int start, int lineEnd, HardcodedSpan span, FingerprintKey key)
    {
        if (start < 0 || start > lineEnd)
            return SpanState.Changed;
        if (start + span.Length <= lineEnd && key.Of(SecretValue.FromUtf8(text.Substring(start, span.Length))).Hex == span.Fingerprint)
            return SpanState.Value;
        if (start + span.Reference.Length <= lineEnd && text.AsSpan(start, span.Reference.Length).SequenceEqual(span.Reference))
            return SpanState.Rewritten;
        return SpanState.Changed;
    }
}
