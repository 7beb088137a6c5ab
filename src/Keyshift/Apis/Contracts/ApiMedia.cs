using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Contracts;

/// <summary>One media type of a request or response body.</summary>
internal sealed record ApiMedia(string MediaType, ApiNode Node, ApiNode? Schema);
