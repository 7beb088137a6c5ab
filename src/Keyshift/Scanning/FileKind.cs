namespace Keyshift.Scanning;

/// <summary>Decides a file's <see cref="FileKinds"/> from its name.</summary>
internal static class FileKind
{
    private static readonly HashSet<string> SourceExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".cs", ".py", ".go", ".java", ".rb", ".php", ".rs", ".swift", ".c", ".h", ".cpp", ".cc", ".hpp", ".m", ".vb", ".fs", ".ps1", ".psm1", ".lua", ".pl",
        // HCL: an unquoted value is an expression (var.db_password), not a literal.
        ".tf", ".tfvars", ".hcl",
    };

    private static readonly HashSet<string> ScriptExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".kt", ".kts", ".groovy", ".gradle", ".scala", ".dart", ".vue", ".svelte",
    };

    private static readonly HashSet<string> ShellExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".sh", ".bash", ".zsh", ".ksh", ".dockerfile", ".envrc",
    };

    public static FileKinds Of(string path)
    {
        var name = Path.GetFileName(path.AsSpan());
        var extension = Path.GetExtension(name).ToString();
        if (SourceExtensions.Contains(extension))
            return FileKinds.Source;
        if (ScriptExtensions.Contains(extension))
            return FileKinds.Script;
        if (ShellExtensions.Contains(extension) || name.StartsWith("Dockerfile", StringComparison.OrdinalIgnoreCase) || name.SequenceEqual(".envrc"))
            return FileKinds.Shell;
        if (extension.Equals(".bat", StringComparison.OrdinalIgnoreCase) || extension.Equals(".cmd", StringComparison.OrdinalIgnoreCase))
            return FileKinds.Batch;
        return FileKinds.Config;
    }
}
