using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Diff;

/// <summary>The changes between two documents after rules and the consumer view are applied, most severe first.</summary>
internal sealed record ApiDiffResult(ApiDocument Old, ApiDocument New, IReadOnlyList<ApiChange> Changes)
{
    public IReadOnlyList<string>? Consumer { get; init; }

    public int Ignored { get; init; }

    public int Count(Severity severity) => Changes.Count(c => c.Severity == severity);

    public bool Fails(Severity threshold) => Changes.Any(c => c.Severity >= threshold);
}
