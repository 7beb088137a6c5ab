namespace Keyshift.Stores.Yaml;

/// <summary>What a batch does to one existing mapping: entries it deletes and keys it adds.</summary>
internal sealed class MappingEdit
{
    public HashSet<YamlTextEntry> Deleted { get; } = [];

    public PendingMapping? Inserts { get; set; }

    /// <summary>The whole mapping goes with its parent entry, so its own deletions need no splice.</summary>
    public bool Subsumed { get; set; }

    public bool HasInserts => Inserts is { Count: > 0 };
}
