using System.Text;
using System.Text.Json;

namespace Keyshift.Inventory;

/// <summary>
/// The dependency map (consumers → secrets → stores) as JSON, Graphviz DOT or Mermaid. Nodes and edges come
/// in ordinal order (consumers, then secrets, then stores), so the same inventory always gives the same text.
/// Each format is written as it is produced: a map of 200,000 secrets is tens of megabytes of text.
/// </summary>
internal static class GraphExport
{
    public static string Json(InventoryReport report) => Text(output => WriteJson(report, output));

    public static string Dot(InventoryReport report) => Text(output => Write(report, "dot", output));

    public static string Mermaid(InventoryReport report) => Text(output => Write(report, "mermaid", output));

    /// <summary>Writes the map as <paramref name="format"/> (<c>dot</c>, <c>mermaid</c> or <c>json</c>) as UTF-8 to <paramref name="output"/>.</summary>
    public static void Write(InventoryReport report, string format, Stream output)
    {
        if (format == "json")
        {
            WriteJson(report, output);
            return;
        }
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        if (format == "dot")
            WriteDot(report, writer);
        else
            WriteMermaid(report, writer);
    }

    private static string Text(Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteJson(InventoryReport report, Stream output)
    {
        // Newlines are "\n" on every system, like the DOT and Mermaid exports.
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteStartArray("nodes");
            foreach (var node in Nodes(report))
            {
                json.WriteStartObject();
                json.WriteString("id", node.Id);
                json.WriteString("kind", node.Kind);
                json.WriteString("label", node.Label);
                json.WriteEndObject();
                FlushLarge(json);
            }
            json.WriteEndArray();
            json.WriteStartArray("edges");
            foreach (var edge in Edges(report))
            {
                json.WriteStartObject();
                json.WriteString("from", edge.From);
                json.WriteString("to", edge.To);
                json.WriteString("kind", edge.Kind);
                if (edge.Location is not null)
                    json.WriteString("location", edge.Location);
                json.WriteEndObject();
                FlushLarge(json);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.Write("\n"u8);
    }

    /// <summary>Utf8JsonWriter keeps everything until flushed.</summary>
    private static void FlushLarge(Utf8JsonWriter json)
    {
        if (json.BytesPending > 64 * 1024)
            json.Flush();
    }

    private static void WriteDot(InventoryReport report, TextWriter text)
    {
        text.Write("digraph keyshift {\n  rankdir=LR;\n");
        foreach (var node in Nodes(report))
        {
            var shape = node.Kind switch { "consumer" => "box", "store" => "cylinder", _ => "ellipse" };
            text.Write($"  {Quote(node.Id)} [label={Quote(node.Label)}, shape={shape}];\n");
        }
        foreach (var edge in Edges(report))
        {
            var style = edge.Kind switch { "reference" => ", style=dashed", "stored-in" => ", color=gray", _ => "" };
            text.Write($"  {Quote(edge.From)} -> {Quote(edge.To)} [label={Quote(edge.Kind)}{style}];\n");
        }
        text.Write("}\n");
    }

    private static void WriteMermaid(InventoryReport report, TextWriter text)
    {
        var nodes = Nodes(report);
        // Mermaid ids cannot hold ':' or '#'; number the nodes in their stable order instead.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        text.Write("graph LR\n");
        foreach (var node in nodes)
        {
            var letter = node.Kind switch { "consumer" => "c", "store" => "st", _ => "s" };
            counts[letter] = counts.GetValueOrDefault(letter) + 1;
            var id = $"{letter}{counts[letter]}";
            ids[node.Id] = id;
            var label = node.Label.Replace("\"", "#quot;", StringComparison.Ordinal);
            text.Write(node.Kind switch
            {
                "consumer" => $"  {id}[\"{label}\"]\n",
                "store" => $"  {id}[(\"{label}\")]\n",
                _ => $"  {id}([\"{label}\"])\n",
            });
        }
        foreach (var edge in Edges(report))
            text.Write($"  {ids[edge.From]} {(edge.Kind == "reference" ? "-.->" : "-->")}|{edge.Kind}| {ids[edge.To]}\n");
    }

    private sealed record Node(string Id, string Kind, string Label);

    private sealed record Edge(string From, string To, string Kind, string? Location);

    private static List<Node> Nodes(InventoryReport report)
    {
        var consumers = report.Consumers.Select(c => c.Name)
            .Concat(report.Dependencies.Select(d => d.Consumer))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(name =>
            {
                var declared = report.Consumers.FirstOrDefault(c => c.Name == name);
                var details = string.Join(", ", new[] { declared.Owner, declared.Environment }.OfType<string>());
                return new Node("consumer:" + name, "consumer", details.Length > 0 ? $"{name} ({details})" : name);
            });
        var secrets = report.Secrets.Select(s => s.Address.ToString()).Order(StringComparer.Ordinal)
            .Select(address => new Node("secret:" + address, "secret", address));
        var stores = report.Stores.Select(s => new Node("store:" + s.Name, "store", $"{s.Name} ({s.Type})"));
        return [.. consumers, .. secrets, .. stores];
    }

    private static IEnumerable<Edge> Edges(InventoryReport report)
    {
        foreach (var d in report.Dependencies)
            yield return new Edge("consumer:" + d.Consumer, "secret:" + d.Secret, d.Kind, d.Location);
        foreach (var address in report.Secrets.Select(s => s.Address).OrderBy(a => a.ToString(), StringComparer.Ordinal))
            yield return new Edge("secret:" + address, "store:" + address.Store, "stored-in", null);
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
