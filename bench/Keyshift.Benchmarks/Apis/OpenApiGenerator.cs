using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keyshift.Benchmarks.Apis;

/// <summary>
/// Generates a large OpenAPI 3.0 document (thousands of operations and schemas, with recursive references) and a
/// changed copy, as JSON and as block-style YAML.
/// </summary>
internal static class OpenApiGenerator
{
    public static JsonObject Document(int resources, bool changed)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        for (var i = 0; i < resources; i++)
        {
            var name = $"Resource{i}";
            var reference = new JsonObject { ["$ref"] = $"#/components/schemas/{name}" };
            paths[$"/resources{i}"] = new JsonObject
            {
                ["get"] = Operation($"list{name}", [Query("limit", changed && i % 50 == 0 ? 50 : 100), Query("cursor", null)], null, new JsonObject { ["type"] = "array", ["items"] = reference.DeepClone() }),
                ["post"] = Operation($"create{name}", [], reference.DeepClone(), reference.DeepClone()),
            };
            paths[$"/resources{i}/{{id}}"] = new JsonObject
            {
                ["get"] = Operation($"get{name}", [PathId()], null, reference.DeepClone()),
                ["put"] = Operation($"update{name}", [PathId()], reference.DeepClone(), reference.DeepClone()),
                ["delete"] = Operation($"delete{name}", [PathId()], null, null),
            };
            var properties = new JsonObject();
            for (var p = 0; p < 14; p++)
            {
                if (changed && i % 40 == 0 && p == 13)
                    continue;
                properties[$"field{p}"] = new JsonObject
                {
                    ["type"] = p % 3 == 0 ? "integer" : "string",
                    ["description"] = $"Field {p} of resource {i}: a realistic sentence describing what the field holds and when it is set.",
                    [p % 3 == 0 ? "maximum" : "maxLength"] = 1000,
                };
            }
            properties["status"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("active", "suspended", "closed") };
            properties["related"] = new JsonObject { ["$ref"] = $"#/components/schemas/Resource{(i + 1) % resources}" };
            properties["parent"] = reference.DeepClone();
            schemas[name] = new JsonObject
            {
                ["type"] = "object",
                ["required"] = new JsonArray("field0", "field1"),
                ["properties"] = properties,
            };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject { ["title"] = "Generated API", ["version"] = changed ? "2.0.0" : "1.0.0" },
            ["security"] = new JsonArray(new JsonObject { ["Key"] = new JsonArray() }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject { ["Key"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = changed ? "Authorization" : "X-API-Key" } },
            },
        };
    }

    private static JsonObject Operation(string id, JsonNode[] parameters, JsonNode? body, JsonNode? response)
    {
        var operation = new JsonObject { ["operationId"] = id, ["summary"] = $"The {id} operation of the generated API." };
        if (parameters.Length > 0)
            operation["parameters"] = new JsonArray(parameters);
        if (body is not null)
            operation["requestBody"] = new JsonObject { ["required"] = true, ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = body } } };
        var ok = new JsonObject { ["description"] = "OK" };
        if (response is not null)
            ok["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = response } };
        operation["responses"] = new JsonObject { ["200"] = ok, ["404"] = new JsonObject { ["description"] = "Not found" } };
        return operation;
    }

    private static JsonObject Query(string name, int? maximum)
    {
        var schema = new JsonObject { ["type"] = maximum is null ? "string" : "integer" };
        if (maximum is { } max)
            schema["maximum"] = max;
        return new JsonObject { ["name"] = name, ["in"] = "query", ["schema"] = schema };
    }

    private static JsonObject PathId() => new() { ["name"] = "id", ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } };

    public static string Json(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    public static string Yaml(JsonNode node)
    {
        var text = new StringBuilder();
        WriteYaml(text, node, 0);
        return text.ToString();
    }

    private static void WriteYaml(StringBuilder text, JsonNode node, int indent)
    {
        var pad = new string(' ', indent);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    text.Append(pad).Append(Quote(key)).Append(':');
                    if (value is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                    {
                        text.Append('\n');
                        WriteYaml(text, value, indent + 2);
                    }
                    else
                        text.Append(' ').Append(Scalar(value)).Append('\n');
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                    {
                        text.Append(pad).Append("-\n");
                        WriteYaml(text, item!, indent + 2);
                    }
                    else
                        text.Append(pad).Append("- ").Append(Scalar(item)).Append('\n');
                }
                break;
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v when v.TryGetValue<string>(out var s) => Quote(s),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => node.ToJsonString(),
    };

    private static string Quote(string s) => JsonSerializer.Serialize(s);

    /// <summary>Writes v1/v2 as JSON and YAML into a folder (reused across runs) and returns it.</summary>
    public static string WriteFiles(int resources)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"keyshift-bench-api-{resources}");
        Directory.CreateDirectory(folder);
        var old = Document(resources, changed: false);
        var @new = Document(resources, changed: true);
        File.WriteAllText(Path.Combine(folder, "v1.json"), Json(old));
        File.WriteAllText(Path.Combine(folder, "v2.json"), Json(@new));
        File.WriteAllText(Path.Combine(folder, "v1.yaml"), Yaml(old));
        File.WriteAllText(Path.Combine(folder, "v2.yaml"), Yaml(@new));
        return folder;
    }
}
