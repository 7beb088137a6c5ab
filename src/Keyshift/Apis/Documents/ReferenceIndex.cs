using Keyshift.Configuration;

namespace Keyshift.Apis.Documents;

/// <summary>
/// Finds every <c>$ref</c> in a document and resolves it once, so an unresolvable reference is bad input reported
/// with file, line and pointer before any comparison starts.
/// </summary>
internal static class ReferenceIndex
{
    public const int MaxHops = 64;

    // Values under these keys are example data, not OpenAPI objects: a "$ref" inside them is not a reference.
    private static readonly HashSet<string> DataKeys = new(StringComparer.Ordinal) { "example", "default", "enum", "const", "value", "examples" };

    public static Dictionary<ApiNode, ApiNode> Build(ApiNode root, string file)
    {
        var references = new Dictionary<ApiNode, ApiNode>();
        var errors = new ErrorList();
        var pending = new Stack<(ApiNode Node, string? ParentKey)>();
        var seen = new HashSet<ApiNode>();
        pending.Push((root, null));
        while (pending.Count > 0)
        {
            var (node, parentKey) = pending.Pop();
            if (!seen.Add(node))
                continue;
            if (node.IsObject)
            {
                if (node["$ref"] is { Kind: ApiNodeKind.String, Scalar: { } reference } refNode)
                {
                    var target = Resolve(root, reference, out var problem);
                    if (target is null)
                    {
                        errors.Add(new SourceLocation(file, refNode.Line), refNode.Pointer, problem!);
                        if (errors.Items.Count >= 20)
                            break;
                    }
                    else
                        references[node] = target;
                }
                foreach (var (key, child) in node.Properties)
                {
                    var isData = (DataKeys.Contains(key) || key.StartsWith("x-", StringComparison.Ordinal)) && parentKey is not ("properties" or "patternProperties");
                    // "examples" holds Example objects (which may be references) in 3.x, but raw values in schemas.
                    if (isData && key == "examples" && child.IsObject)
                        isData = false;
                    if (!isData && child.Kind is ApiNodeKind.Object or ApiNodeKind.Array)
                        pending.Push((child, key));
                }
            }
            else
            {
                foreach (var item in node.Items)
                {
                    if (item.Kind is ApiNodeKind.Object or ApiNodeKind.Array)
                        pending.Push((item, parentKey));
                }
            }
        }
        errors.ThrowIfAny();
        CheckChains(references, file);
        return references;
    }

    public static ApiNode? Resolve(ApiNode root, string reference, out string? problem)
    {
        problem = null;
        if (!reference.StartsWith('#'))
        {
            problem = $"reference '{reference}' points outside this document; only local references (#/...) are supported — bundle the document first";
            return null;
        }
        var node = root;
        var pointer = reference[1..];
        if (pointer.Length == 0)
            return root;
        if (!pointer.StartsWith('/'))
        {
            problem = $"reference '{reference}' is not a JSON pointer";
            return null;
        }
        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            ApiNode? next = null;
            if (node.IsObject)
                next = node[token];
            else if (node.Kind == ApiNodeKind.Array && int.TryParse(token, out var index) && index >= 0 && index < node.Items.Count)
                next = node.Items[index];
            if (next is null)
            {
                problem = $"reference '{reference}' cannot be resolved: '{token}' does not exist";
                return null;
            }
            node = next;
        }
        return node;
    }

    private static void CheckChains(Dictionary<ApiNode, ApiNode> references, string file)
    {
        foreach (var start in references.Keys)
        {
            var node = start;
            for (var hops = 0; references.TryGetValue(node, out var next); hops++)
            {
                if (hops >= MaxHops)
                    throw new BadInputException(new SourceLocation(file, start.Line), start.Pointer + "/$ref", "references form a loop that never reaches a definition");
                node = next;
            }
        }
    }
}
