using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Contracts;

/// <summary>A callback of an operation: under a name, per runtime expression, the requests the API sends to the consumer.</summary>
internal sealed record ApiCallback(string Name, string Expression, ApiNode Node, IReadOnlyList<ApiOperation> Operations);
