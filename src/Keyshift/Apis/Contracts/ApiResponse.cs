using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Contracts;

/// <summary>One documented response of an operation; headers are keyed by lower-case name.</summary>
internal sealed record ApiResponse(string Code, ApiNode Node, IReadOnlyDictionary<string, ApiMedia> Content, IReadOnlyDictionary<string, ApiHeader> Headers)
{
    public bool IsSuccess => Code.StartsWith('2') || Code.StartsWith('3') || Code == "default";
}
