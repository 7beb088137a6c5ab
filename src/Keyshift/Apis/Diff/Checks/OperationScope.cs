using Keyshift.Apis.Contracts;

namespace Keyshift.Apis.Diff.Checks;

/// <summary>
/// A matched pair of operations under comparison: the operation keys every change is attributed to (a callback's
/// changes belong to the operation that registers it) and which way values flow for the consumer.
/// </summary>
internal sealed record OperationScope(ApiOperation Old, ApiOperation New, IReadOnlyList<string> Keys)
{
    public bool IsCallOut => Old.Kind != ApiOperationKind.Path;

    /// <summary>Request parameters and body: sent by the consumer, unless the API is calling the consumer.</summary>
    public Flow RequestFlow => IsCallOut ? Flow.ConsumerReceives : Flow.ConsumerSends;

    public Flow ResponseFlow => IsCallOut ? Flow.ConsumerSends : Flow.ConsumerReceives;

    /// <summary>How messages name the exchange: <c>GET /charges</c>, <c>webhook orderPaid (POST)</c>, <c>callback onPaid (POST {$request.body#/url})</c>.</summary>
    public string Label { get; init; } = New.Display;
}
