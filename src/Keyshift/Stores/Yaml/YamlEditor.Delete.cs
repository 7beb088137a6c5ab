namespace Keyshift.Stores.Yaml;

internal sealed partial class YamlEditor
{
    private void AddDeletions(List<Splice> splices, YamlTextNode mapping, HashSet<YamlTextEntry> deleted)
    {
        if (mapping.IsFlow)
            AddFlowDeletions(splices, mapping, deleted);
        else
            AddBlockDeletions(splices, mapping, deleted);
    }

    // Each entry goes with its whole lines (key line to the end of its value's last line), so comments on
    // lines of their own between entries stay.
    private void AddBlockDeletions(List<Splice> splices, YamlTextNode mapping, HashSet<YamlTextEntry> deleted)
    {
        var text = source.Text;
        var entries = mapping.Entries;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (!deleted.Contains(entry))
                continue;
            var lineStart = LineStart(entry.Key.Start);
            if (text.AsSpan(lineStart, entry.Key.Start - lineStart).IsWhiteSpace())
            {
                splices.Add(new Splice(lineStart, LineEndAfter(entry.Value.ContentEnd), ""));
                continue;
            }
            // The first entry shares its line with what holds the mapping ("- key: v"): keep that, and let the
            // next kept entry move up into its place.
            var next = i + 1;
            while (next < entries.Count && deleted.Contains(entries[next]))
                next++;
            if (next < entries.Count)
                splices.Add(new Splice(entry.Key.Start, entries[next].Key.Start, ""));
            else
                splices.Add(new Splice(entry.Key.Start, mapping.ContentEnd, "{}"));
            i = next;
        }
    }

    // Runs of deleted entries go with the separators around them, so what remains is still {a: 1, b: 2}.
    private static void AddFlowDeletions(List<Splice> splices, YamlTextNode mapping, HashSet<YamlTextEntry> deleted)
    {
        var entries = mapping.Entries;
        var i = 0;
        while (i < entries.Count)
        {
            if (!deleted.Contains(entries[i]))
            {
                i++;
                continue;
            }
            var last = i;
            while (last + 1 < entries.Count && deleted.Contains(entries[last + 1]))
                last++;
            if (last + 1 < entries.Count)
                splices.Add(new Splice(entries[i].Key.Start, entries[last + 1].Key.Start, ""));
            else if (i > 0)
                splices.Add(new Splice(entries[i - 1].Value.ContentEnd, entries[last].Value.ContentEnd, ""));
            else
                splices.Add(new Splice(entries[0].Key.Start, entries[last].Value.ContentEnd, ""));
            i = last + 1;
        }
    }
}
