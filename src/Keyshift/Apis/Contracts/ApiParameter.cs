using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Contracts;

/// <summary>A parameter of an operation; <see cref="Schema"/> is the node holding type, format and limits.</summary>
internal sealed record ApiParameter(string Name, string In, bool Required, ApiNode Node, ApiNode? Schema)
{
    /// <summary>For path parameters, the position in the path template, so renaming <c>{id}</c> to <c>{chargeId}</c> is no change.</summary>
    public int PathIndex { get; init; } = -1;

    public string MatchKey => In == "path" && PathIndex >= 0
        ? $"path:#{PathIndex}"
        : In == "header" ? $"header:{Name.ToLowerInvariant()}" : $"{In}:{Name}";

    public string Describe() => $"{In} parameter `{Name}`";
}
