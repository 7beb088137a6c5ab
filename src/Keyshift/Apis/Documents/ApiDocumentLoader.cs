using System.Text;
using Keyshift.Configuration;

namespace Keyshift.Apis.Documents;

/// <summary>Loads an OpenAPI 2.0, 3.0 or 3.1 document from YAML or JSON; anything else is bad input naming file and line.</summary>
internal static class ApiDocumentLoader
{
    public const int MaxDepth = 512;

    /// <summary>Larger documents are refused rather than risking the machine's memory.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    public static ApiDocument Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new BadInputException(null, path, "file not found");
        if (info.Length > MaxBytes)
            throw new BadInputException(new SourceLocation(path, 1), "", $"is {info.Length / (1024 * 1024)} MB; documents larger than {MaxBytes / (1024 * 1024)} MB are refused");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new BadInputException(null, path, $"cannot be read: {e.Message}");
        }
        catch (UnauthorizedAccessException)
        {
            throw new BadInputException(null, path, "cannot be read: permission denied");
        }
        return Parse(bytes, path);
    }

    public static ApiDocument Parse(string text, string file) => Parse(Encoding.UTF8.GetBytes(text), file);

    public static ApiDocument Parse(byte[] bytes, string file)
    {
        var span = bytes.AsSpan();
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            span = span[3..];
        var trimmed = span.TrimStart(" \t\r\n"u8);
        var root = trimmed.Length > 0 && trimmed[0] == (byte)'{' ? JsonTreeReader.Read(span, file) : ReadYaml(Encoding.UTF8.GetString(span), file);
        var version = DetectVersion(root, file);
        var references = ReferenceIndex.Build(root, file);
        return new ApiDocument(file, root, version, references);
    }

    /// <summary>The common block-style subset is read directly; anything else (and every error) by the general parser.</summary>
    private static ApiNode ReadYaml(string text, string file) => BlockYamlReader.TryRead(text) ?? YamlTreeReader.Read(new StringReader(text), file);

    private static OpenApiVersion DetectVersion(ApiNode root, string file)
    {
        if (!root.IsObject)
            throw new BadInputException(new SourceLocation(file, root.Line), "", "not an OpenAPI document: the top level must be a mapping");
        if (root["swaggerVersion"] is { } old)
            throw Unsupported(file, old, "swaggerVersion", $"Swagger {old.Scalar}");
        if (root["swagger"] is { } swagger)
        {
            return swagger.Scalar is "2.0" or "2"
                ? OpenApiVersion.Swagger20
                : throw Unsupported(file, swagger, "swagger", $"Swagger {swagger.Scalar}");
        }
        if (root["openapi"] is { } openapi)
        {
            var text = openapi.Scalar ?? "";
            if (text.StartsWith("3.0", StringComparison.Ordinal))
                return OpenApiVersion.OpenApi30;
            if (text.StartsWith("3.1", StringComparison.Ordinal))
                return OpenApiVersion.OpenApi31;
            throw Unsupported(file, openapi, "openapi", $"OpenAPI {text}");
        }
        throw new BadInputException(new SourceLocation(file, root.Line), "", "not an OpenAPI document: it has neither an 'openapi' nor a 'swagger' field");
    }

    private static BadInputException Unsupported(string file, ApiNode node, string field, string what) =>
        new(new SourceLocation(file, node.Line), field, $"{what} is not supported; use OpenAPI 2.0 (swagger: \"2.0\"), 3.0 or 3.1");
}
