using System.Text;
using System.Text.Json;

namespace Keyshift.Inventory;

/// <summary>
/// The dependency map (consumers → secrets → stores) as JSON, Graphviz DOT or Mermaid. Nodes and edges come
/// in ordinal order (consumers, then secrets, then stores), so the same inventory always gives the same text.
/// </summary>
internal static class GraphExport
{
    public static string Json(InventoryReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
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
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()).ReplaceLineEndings("\n") + "\n";
    }

    public static string Dot(InventoryReport report)
    {
        var text = new StringBuilder("digraph keyshift {\n  rankdir=LR;\n");
        foreach (var node in Nodes(report))
        {
            var shape = node.Kind switch { "consumer" => "box", "store" => "cylinder", _ => "ellipse" };
            text.Append($"  {Quote(node.Id)} [label={Quote(node.Label)}, shape={shape}];\n");
        }
        foreach (var edge in Edges(report))
        {
            var style = edge.Kind switch { "reference" => ", style=dashed", "stored-in" => ", color=gray", _ => "" };
            text.Append($"  {Quote(edge.From)} -> {Quote(edge.To)} [label={Quote(edge.Kind)}{style}];\n");
        }
        return text.Append("}\n").ToString();
    }

    public static string Mermaid(InventoryReport report)
    {
        var nodes = Nodes(report);
        // Mermaid ids cannot hold ':' or '#'; number the nodes in their stable order instead.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var text = new StringBuilder("graph LR\n");
        foreach (var node in nodes)
        {
            var letter = node.Kind switch { "consumer" => "c", "store" => "st", _ => "s" };
            counts[letter] = counts.GetValueOrDefault(letter) + 1;
            var id = $"{letter}{counts[letter]}";
            ids[node.Id] = id;
            var label = node.Label.Replace("\"", "#quot;", StringComparison.Ordinal);
            text.Append(node.Kind switch
            {
                "consumer" => $"  {id}[\"{label}\"]\n",
                "store" => $"  {id}[(\"{label}\")]\n",
                _ => $"  {id}([\"{label}\"])\n",
            });
        }
        foreach (var edge in Edges(report))
            text.Append($"  {ids[edge.From]} {(edge.Kind == "reference" ? "-.->" : "-->")}|{edge.Kind}| {ids[edge.To]}\n");
        return text.ToString();
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
