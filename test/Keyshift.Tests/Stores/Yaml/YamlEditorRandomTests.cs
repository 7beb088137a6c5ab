using System.Text;
using Keyshift.Stores.Yaml;
using YamlDotNet.RepresentationModel;

namespace Keyshift.Tests.Stores.Yaml;

/// <summary>
/// Random commented YAML files in many styles and random batches of edits: the edited text, read by an
/// independent parser, must hold exactly what applying the batch to the data says.
/// </summary>
public sealed class YamlEditorRandomTests
{
    private const string Chars = "ab xyz:#-'\"\\\n\t{}[],&*!|>%@ü✓0123";

    [Fact]
    public void RandomBatches_OnRandomFiles_LeaveExactlyTheExpectedData()
    {
        for (var seed = 0; seed < 400; seed++)
        {
            var random = new Random(seed);
            var text = new StringBuilder("# generated\n");
            var step = random.Next(2) == 0 ? 2 : 4;
            Generate(random, text, [], 0, step, 0);
            // What the generated text holds, as an independent parser reads it (blank lines after |+ belong to it).
            if (seed % 5 == 0)
                text.Replace("\n", "\r\n");
            var model = Model(ReadRoot(text.ToString())!);
            var source = YamlText.Parse(text.ToString());
            var editor = new YamlEditor(source);
            var touched = new HashSet<Dictionary<string, object>>(ReferenceEqualityComparer.Instance);
            for (var op = random.Next(1, 12); op > 0; op--)
                RandomEdit(random, editor, source.Documents[0].Root!, model, touched);
            Prune(model, touched);

            var result = editor.Apply();

            Read(result).ShouldBe(Canonical(model), $"seed {seed}\n--- before\n{text}\n--- after\n{result}");
        }
    }

    private static void Generate(Random random, StringBuilder text, Dictionary<string, object> model, int depth, int step, int indent)
    {
        var pad = new string(' ', indent);
        for (var count = random.Next(1, 5); count > 0; count--)
        {
            var key = $"k{random.Next(1000)}";
            if (model.ContainsKey(key))
                continue;
            if (random.Next(6) == 0)
                text.Append(pad).Append("# comment ").Append(key).Append('\n');
            if (random.Next(8) == 0)
                text.Append('\n');
            var written = random.Next(5) == 0 ? $"\"{key}\"" : key;
            var kind = random.Next(10);
            if (kind < 3 && depth < 3)
            {
                var child = new Dictionary<string, object>();
                text.Append(pad).Append(written).Append(":\n");
                Generate(random, text, child, depth + 1, step, indent + step);
                model[key] = child;
            }
            else if (kind == 3)
            {
                var child = new Dictionary<string, object> { ["a"] = "1", ["b"] = "two" };
                text.Append(pad).Append(written).Append(": {a: 1, b: two}\n");
                model[key] = child;
            }
            else if (kind == 4)
            {
                var (header, value, trailing) = random.Next(3) switch
                {
                    0 => ("|", "line one\nline two\n", "\n"),
                    1 => ("|+", "kept\n\n", ""),
                    _ => ("|-", "stripped", "\n"),
                };
                text.Append(pad).Append(written).Append(": ").Append(header).Append('\n');
                foreach (var line in value.TrimEnd('\n').Split('\n'))
                    text.Append(pad).Append("  ").Append(line).Append('\n');
                text.Append(header == "|+" ? "\n" : trailing);
                model[key] = value;
            }
            else if (kind == 5)
            {
                text.Append(pad).Append(written).Append(random.Next(2) == 0 ? ":\n" : ": ~  # none\n");
                model[key] = "";
            }
            else if (kind == 6)
            {
                text.Append(pad).Append(written).Append(": folded plain\n").Append(pad).Append("  continued 'here'\n");
                model[key] = "";
            }
            else if (kind == 7)
            {
                text.Append(pad).Append(written).Append(": 'it''s\n").Append(pad).Append("  quoted'\n");
                model[key] = "";
            }
            else
            {
                var value = RandomText(random);
                text.Append(pad).Append(written).Append(": ").Append(YamlScalarWriter.Write(value));
                text.Append(random.Next(4) == 0 ? "   # trailing comment\n" : "\n");
                model[key] = value;
            }
        }
    }

    private static void RandomEdit(Random random, YamlEditor editor, YamlTextNode root, Dictionary<string, object> model, HashSet<Dictionary<string, object>> touched)
    {
        var leaves = Leaves(model, []).ToList();
        var mappings = Mappings(model, []).ToList();
        var value = RandomText(random);
        switch (random.Next(4))
        {
            case 0 when leaves.Count > 0:
            {
                var path = leaves[random.Next(leaves.Count)];
                editor.Set(root, path, value);
                Parent(model, path)[path[^1]] = value;
                break;
            }
            case 1 when leaves.Count > 0:
            {
                var path = leaves[random.Next(leaves.Count)];
                editor.Delete(root, path);
                var parent = Parent(model, path);
                parent.Remove(path[^1]);
                touched.Add(parent);
                break;
            }
            case 2:
            {
                var path = mappings[random.Next(mappings.Count)].Concat(Enumerable.Range(0, random.Next(3)).Select(i => $"new{random.Next(5)}")).Append($"leaf{random.Next(5)}").ToList();
                if (!CanSet(model, path))
                    return;
                editor.Set(root, path, value);
                var mapping = model;
                foreach (var segment in path.SkipLast(1))
                {
                    if (!mapping.TryGetValue(segment, out var child))
                        mapping[segment] = child = new Dictionary<string, object>();
                    mapping = (Dictionary<string, object>)child;
                }
                mapping[path[^1]] = value;
                break;
            }
            default:
                editor.Delete(root, ["missing", $"k{random.Next(1000)}"]);
                break;
        }
    }

    // A new path may run only through mappings: never through a value, and never ending on a mapping.
    private static bool CanSet(Dictionary<string, object> model, List<string> path)
    {
        var mapping = model;
        foreach (var segment in path.SkipLast(1))
        {
            if (!mapping.TryGetValue(segment, out var child))
                return true;
            if (child is not Dictionary<string, object> next)
                return false;
            mapping = next;
        }
        return !mapping.TryGetValue(path[^1], out var leaf) || leaf is string;
    }

    // Maps a deletion left empty go, up to the root, as the store's retire semantics say.
    private static bool Prune(Dictionary<string, object> mapping, HashSet<Dictionary<string, object>> touched)
    {
        foreach (var (key, child) in mapping.ToList())
        {
            if (child is Dictionary<string, object> nested && Prune(nested, touched))
            {
                mapping.Remove(key);
                touched.Add(mapping);
            }
        }
        return mapping.Count == 0 && touched.Contains(mapping);
    }

    private static Dictionary<string, object> Parent(Dictionary<string, object> model, IReadOnlyList<string> path)
    {
        var mapping = model;
        foreach (var segment in path.SkipLast(1))
            mapping = (Dictionary<string, object>)mapping[segment];
        return mapping;
    }

    private static IEnumerable<string[]> Leaves(Dictionary<string, object> mapping, string[] prefix) =>
        mapping.SelectMany(e => e.Value is Dictionary<string, object> child ? Leaves(child, [.. prefix, e.Key]) : [[.. prefix, e.Key]]);

    private static IEnumerable<string[]> Mappings(Dictionary<string, object> mapping, string[] prefix) =>
        mapping.Where(e => e.Value is Dictionary<string, object>)
            .SelectMany(e => Mappings((Dictionary<string, object>)e.Value, [.. prefix, e.Key]))
            .Prepend(prefix);

    private static string RandomText(Random random) =>
        new([.. Enumerable.Range(0, random.Next(0, 8)).Select(_ => Chars[random.Next(Chars.Length)])]);

    private static string Canonical(Dictionary<string, object> mapping) =>
        "{" + string.Join(",", mapping.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e =>
            $"{e.Key}={(e.Value is Dictionary<string, object> child ? Canonical(child) : "'" + e.Value + "'")}")) + "}";

    private static string Read(string text) => ReadRoot(text) is { } root ? Canonical(Model(root)) : "{}";

    private static YamlMappingNode? ReadRoot(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode as YamlMappingNode;
    }

    private static Dictionary<string, object> Model(YamlMappingNode mapping) =>
        mapping.Children.ToDictionary(
            e => ((YamlScalarNode)e.Key).Value!,
            e => e.Value is YamlMappingNode child ? (object)Model(child) : ((YamlScalarNode)e.Value).Value!);
}
