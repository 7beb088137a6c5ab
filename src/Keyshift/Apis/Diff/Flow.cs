namespace Keyshift.Apis.Diff;

/// <summary>
/// Which way a value travels as seen by the consumer. Requests to the API are sent by the consumer; callbacks and
/// webhooks reverse it: the consumer receives their requests and sends their responses.
/// </summary>
internal enum Flow
{
    ConsumerSends,
    ConsumerReceives,
}
