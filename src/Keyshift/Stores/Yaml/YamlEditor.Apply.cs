using System.Text;

namespace Keyshift.Stores.Yaml;

internal sealed partial class YamlEditor
{
    /// <summary>
    /// Replaces [Start, End) with Text. Among insertions at one offset the deeper one (higher <paramref name="Indent"/>)
    /// goes first, so a nested mapping's new keys stay under it; <paramref name="AtLineStart"/> marks text that
    /// must begin a line (a file without a final line break gets one).
    /// </summary>
    private readonly record struct Splice(int Start, int End, string Text, int Indent = 0, bool AtLineStart = false);

    /// <summary>The text with every collected edit applied.</summary>
    public string Apply()
    {
        Cascade();
        var splices = new List<Splice>();
        foreach (var (scalar, value) in _replacements)
            splices.Add(Replace(scalar, value));
        foreach (var (node, fill) in _fills)
            AddFill(splices, node, fill);
        foreach (var (document, fill) in _documentFills)
            AddDocumentFill(splices, document, fill);
        foreach (var (mapping, edit) in _mappings)
        {
            if (edit.Subsumed)
                continue;
            if (edit.Deleted.Count > 0)
                AddDeletions(splices, mapping, edit.Deleted);
            if (edit.HasInserts)
                splices.Add(Insert(mapping, edit));
        }
        AddNewDocuments(splices);
        return Stitch(splices);
    }

    // A mapping whose every entry this batch deletes goes too, with its key, up to the document root.
    private void Cascade()
    {
        var work = new Queue<YamlTextNode>(_mappings.Where(m => m.Value.Deleted.Count > 0).Select(m => m.Key));
        while (work.TryDequeue(out var mapping))
        {
            var edit = _mappings[mapping];
            if (edit.Subsumed || edit.HasInserts || edit.Deleted.Count < mapping.Entries.Count || mapping.ParentEntry is not { } parent)
                continue;
            edit.Subsumed = true;
            Edit(parent.Mapping).Deleted.Add(parent);
            work.Enqueue(parent.Mapping);
        }
    }

    private Splice Replace(YamlTextNode scalar, string value)
    {
        var text = source.Text;
        var rendered = YamlScalarWriter.Write(value);
        if (scalar.Start == scalar.End)
            return new Splice(scalar.Start, scalar.End, (scalar.Start > 0 && text[scalar.Start - 1] == ':' ? " " : "") + rendered);
        var end = scalar.End;
        if (scalar.Style is YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded)
        {
            // The block scalar's content ends with a line break that the line of the new value still needs.
            end = scalar.ContentEnd;
            if (end > scalar.Start && text[end - 1] == '\n')
                end--;
            if (end > scalar.Start && text[end - 1] == '\r')
                end--;
        }
        return new Splice(scalar.Start, end, rendered);
    }

    private void AddFill(List<Splice> splices, YamlTextNode nullValue, PendingMapping fill)
    {
        var text = source.Text;
        var parent = nullValue.ParentEntry!;
        if (parent.Mapping.IsFlow)
        {
            var flow = new StringBuilder();
            if (nullValue.Start > 0 && text[nullValue.Start - 1] == ':')
                flow.Append(' ');
            RenderFlow(flow, fill);
            splices.Add(new Splice(nullValue.Start, nullValue.End, flow.ToString()));
            return;
        }
        if (nullValue.End > nullValue.Start)
        {
            var start = nullValue.Start;
            while (start > 0 && text[start - 1] == ' ')
                start--;
            splices.Add(new Splice(start, nullValue.End, ""));
        }
        var at = LineEndAfter(nullValue.End);
        splices.Add(BlockInsert(at, fill, parent.Key.Column - 1 + source.IndentStep));
    }

    private void AddDocumentFill(List<Splice> splices, YamlTextDocument document, PendingMapping fill)
    {
        if (document.Root is { End: var end, Start: var start } && end > start)
            splices.Add(new Splice(start, end, ""));
        var at = document.EndMarker >= 0 ? document.EndMarker : source.Text.Length;
        splices.Add(BlockInsert(at, fill, 0));
    }

    private Splice Insert(YamlTextNode mapping, MappingEdit edit)
    {
        if (!mapping.IsFlow)
        {
            var at = LineEndAfter(mapping.ContentEnd);
            return BlockInsert(at, edit.Inserts!, mapping.Column - 1);
        }
        var flow = new StringBuilder();
        var kept = mapping.Entries.LastOrDefault(e => !edit.Deleted.Contains(e));
        if (kept is not null)
            flow.Append(", ");
        RenderFlowEntries(flow, edit.Inserts!);
        var position = kept?.Value.ContentEnd ?? mapping.Start + 1;
        return new Splice(position, position, flow.ToString());
    }

    private void AddNewDocuments(List<Splice> splices)
    {
        if (_newDocuments.Count == 0)
            return;
        var text = source.Text;
        var builder = new StringBuilder();
        var separate = source.Documents.Count > 0;
        foreach (var document in _newDocuments)
        {
            if (separate)
                builder.Append("---").Append(source.NewLine);
            RenderBlock(builder, document, 0);
            separate = true;
        }
        splices.Add(new Splice(text.Length, text.Length, builder.ToString(), AtLineStart: true));
    }

    private string Stitch(List<Splice> splices)
    {
        var text = source.Text;
        if (splices.Count == 0)
            return text;
        // Stable, so several insertions at one offset keep the batch's order, and an insertion precedes a deletion starting there.
        var ordered = splices.Select((s, i) => (s, i))
            .OrderBy(x => x.s.Start).ThenBy(x => x.s.End).ThenByDescending(x => x.s.Indent).ThenBy(x => x.i).Select(x => x.s);
        var builder = new StringBuilder(text.Length + splices.Sum(s => s.Text.Length) + source.NewLine.Length);
        var copied = 0;
        var finalBreakAdded = false;
        foreach (var splice in ordered)
        {
            if (splice.Start < copied)
                throw new InvalidOperationException($"overlapping YAML edits at offset {splice.Start}");
            builder.Append(text, copied, splice.Start - copied);
            if (splice.AtLineStart && splice.Start == text.Length && text.Length > 0 && text[^1] != '\n' && !finalBreakAdded)
            {
                builder.Append(source.NewLine);
                finalBreakAdded = true;
            }
            builder.Append(splice.Text);
            copied = splice.End;
        }
        builder.Append(text, copied, text.Length - copied);
        return builder.ToString();
    }

    private int LineEndAfter(int position)
    {
        var text = source.Text;
        if (position > 0 && text[position - 1] == '\n')
            return position;
        var lineBreak = text.IndexOf('\n', position);
        return lineBreak < 0 ? text.Length : lineBreak + 1;
    }

    private int LineStart(int position) => position == 0 ? 0 : source.Text.LastIndexOf('\n', position - 1) + 1;
}
