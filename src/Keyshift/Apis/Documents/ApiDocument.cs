using Keyshift.Configuration;

namespace Keyshift.Apis.Documents;

/// <summary>A loaded OpenAPI document: its tree, its version and its resolved local references.</summary>
internal sealed class ApiDocument
{
    private readonly Dictionary<ApiNode, ApiNode> _references;

    public ApiDocument(string file, ApiNode root, OpenApiVersion version, Dictionary<ApiNode, ApiNode> references)
    {
        File = file;
        Root = root;
        Version = version;
        _references = references;
    }

    /// <summary>The file as the user named it, for messages.</summary>
    public string File { get; }

    public ApiNode Root { get; }

    public OpenApiVersion Version { get; }

    public string VersionText => Version switch
    {
        OpenApiVersion.Swagger20 => "Swagger 2.0",
        OpenApiVersion.OpenApi30 => "OpenAPI " + Root.String("openapi"),
        _ => "OpenAPI " + Root.String("openapi"),
    };

    /// <summary>Follows <c>$ref</c>s (already checked at load) to the node they name; null stays null.</summary>
    public ApiNode? Deref(ApiNode? node)
    {
        for (var hops = 0; node is not null && hops < ReferenceIndex.MaxHops; hops++)
        {
            if (!_references.TryGetValue(node, out var target))
                return node;
            node = target;
        }
        return node;
    }

    /// <summary>The last component name a <c>$ref</c> points at (<c>Charge</c> for <c>#/components/schemas/Charge</c>), if the node is a reference.</summary>
    public static string? ReferenceName(ApiNode? node)
    {
        var text = node?.String("$ref");
        if (text is null)
            return null;
        var slash = text.LastIndexOf('/');
        return slash >= 0 ? Uri.UnescapeDataString(text[(slash + 1)..]).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal) : text;
    }

    public SourceLocation Locate(ApiNode node) => new(File, node.Line);
}
