using Keyshift.Configuration;

namespace Keyshift.Stores;

/// <summary>What a store is built from: its name, its settings in <c>keyshift.yaml</c> and the workspace.</summary>
public sealed record StoreContext(string Name, Settings Settings, Workspace Workspace)
{
    /// <summary>Reads a required path setting resolved against the workspace; reports escapes as bad input.</summary>
    public string RequirePath(string key)
    {
        var text = Settings.RequireString(key);
        if (text.Length == 0)
            return "";
        var full = Workspace.Resolve(text);
        if (full is null)
        {
            Settings.Error(key, $"'{text}' leaves the workspace {Workspace.Root}; write an absolute path to mean it");
            return "";
        }
        return full;
    }
}
