using System.Text.RegularExpressions;
using Keyshift.Configuration;

namespace Keyshift.Stores.Hardcoded;

/// <summary>Reads the <c>values</c> mapping of a hardcoded store: one span per name, every problem reported with file, line and field.</summary>
internal static partial class HardcodedSpans
{
    public static List<HardcodedSpan> Read(Settings settings)
    {
        var spans = new List<HardcodedSpan>();
        var values = settings.Section("values");
        if (values is null)
        {
            if (!settings.Has("values"))
                settings.Errors.Add(settings.Location, settings.Field("values"), "is required: name each hardcoded value with its line, column, length and fingerprint");
            return spans;
        }
        foreach (var name in values.Keys)
        {
            if (!Name().IsMatch(name))
            {
                values.Error(name, "a name is a letter or '_', then letters, digits or '_' (it becomes the reference ${NAME})");
                continue;
            }
            var entry = values.Section(name);
            if (entry is null)
                continue;
            entry.AllowOnly("line", "column", "length", "fingerprint");
            var line = Required(entry, "line");
            var column = Required(entry, "column");
            var length = Required(entry, "length");
            var fingerprint = entry.RequireString("fingerprint").ToLowerInvariant();
            if (fingerprint.Length > 0 && !Fingerprint().IsMatch(fingerprint))
                entry.Error("fingerprint", "expected the full keyed fingerprint: 64 hex digits");
            if (line is null || column is null || length is null || !Fingerprint().IsMatch(fingerprint))
                continue;
            var span = new HardcodedSpan(name, line.Value, column.Value, length.Value, fingerprint, values.At(name));
            if (spans.FirstOrDefault(s => s.Line == span.Line && s.Column < span.Column + span.Length && span.Column < s.Column + s.Length) is { } other)
            {
                entry.Error("column", $"overlaps {other.Name} on line {span.Line}");
                continue;
            }
            spans.Add(span);
        }
        return spans;
    }

    private static int? Required(Settings entry, string key)
    {
        if (!entry.Has(key))
        {
            entry.Errors.Add(entry.Location, entry.Field(key), "is required");
            return null;
        }
        return entry.Int(key, min: 1);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Name();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Fingerprint();
}
