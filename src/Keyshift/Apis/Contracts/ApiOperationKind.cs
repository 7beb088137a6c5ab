namespace Keyshift.Apis.Contracts;

internal enum ApiOperationKind
{
    /// <summary>An operation under <c>paths</c>: the consumer calls the API.</summary>
    Path,

    /// <summary>A 3.1 webhook: the API calls the consumer.</summary>
    Webhook,

    /// <summary>A callback of an operation: the API calls the consumer.</summary>
    Callback,
}
