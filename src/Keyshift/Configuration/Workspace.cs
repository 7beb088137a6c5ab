namespace Keyshift.Configuration;

/// <summary>
/// The folder of <c>keyshift.yaml</c>. <c>.keyshift/</c> (state.db, audit.jsonl, key) lives here, and
/// relative paths resolve from here; a relative path that leaves it is bad input.
/// </summary>
public sealed class Workspace
{
    public Workspace(string configPath)
    {
        ConfigPath = Path.GetFullPath(configPath);
        Root = Path.GetDirectoryName(ConfigPath)!;
    }

    public string ConfigPath { get; }

    public string Root { get; }

    public string StateDirectory => Path.Combine(Root, ".keyshift");

    public string KeyPath => Path.Combine(StateDirectory, "key");

    public string StatePath => Path.Combine(StateDirectory, "state.db");

    public string AuditPath => Path.Combine(StateDirectory, "audit.jsonl");

    /// <summary>The full path, or null when a relative path escapes the workspace.</summary>
    public string? Resolve(string path)
    {
        if (Path.IsPathRooted(path))
            return Path.GetFullPath(path);
        var full = Path.GetFullPath(Path.Combine(Root, path));
        var root = Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar;
        return full.StartsWith(root, StringComparison.Ordinal) ? full : null;
    }
}
