using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Contracts;

/// <summary>A document read into the terms the checks compare, 2.0 and 3.x alike; nodes keep their place in the file.</summary>
internal sealed record ApiContract(ApiDocument Document)
{
    public IReadOnlyList<ApiOperation> Operations { get; init; } = [];

    public IReadOnlyList<ApiOperation> Webhooks { get; init; } = [];

    public IReadOnlyDictionary<string, SecurityScheme> Schemes { get; init; } = new Dictionary<string, SecurityScheme>();

    /// <summary>Base URLs: 3.x <c>servers</c>, or 2.0 <c>schemes</c> + <c>host</c> + <c>basePath</c>.</summary>
    public IReadOnlyList<string> Servers { get; init; } = [];

    public ApiNode? ServersNode { get; init; }

    public static ApiContract Read(ApiDocument document) => new ContractReader(document).Read();
}
