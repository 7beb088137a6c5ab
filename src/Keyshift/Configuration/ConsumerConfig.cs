namespace Keyshift.Configuration;

/// <summary>A workload identity that uses secrets or calls an API.</summary>
public sealed record ConsumerConfig
{
    public required string Name { get; init; }

    public string? Owner { get; init; }

    public string? Environment { get; init; }

    /// <summary>Files whose references to a moved secret are this consumer's (path globs, relative to the workspace).</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];
}
