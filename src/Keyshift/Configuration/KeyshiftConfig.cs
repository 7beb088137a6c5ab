using Keyshift.Issuers;
using Keyshift.Stores;

namespace Keyshift.Configuration;

/// <summary>A loaded and validated <c>keyshift.yaml</c> (version 1) with its stores built.</summary>
public sealed record KeyshiftConfig
{
    public required Workspace Workspace { get; init; }

    public required string Name { get; init; }

    public MigrationMode Mode { get; init; }

    public required IReadOnlyDictionary<string, Store> Stores { get; init; }

    public IReadOnlyDictionary<string, Issuer> Issuers { get; init; } = new Dictionary<string, Issuer>();

    public required IReadOnlyDictionary<string, ConsumerConfig> Consumers { get; init; }

    public required IReadOnlyList<MoveConfig> Moves { get; init; }

    public PolicyConfig Policy { get; init; } = new();

    public CutoverConfig Cutover { get; init; } = new();

    public ConflictPolicy OnConflict { get; init; }

    /// <summary>Sections read by other features (issuers, integrations, gateway, scan), kept with their positions.</summary>
    public IReadOnlyDictionary<string, Settings> Sections { get; init; } = new Dictionary<string, Settings>();

    /// <summary>SHA-256 of the file's bytes, so a saved plan can tell that its inputs changed.</summary>
    public required string Hash { get; init; }
}
