using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Contracts;

/// <summary>A request body (3.x <c>requestBody</c>, or a 2.0 <c>in: body</c> parameter) with its media types.</summary>
internal sealed record ApiBody(bool Required, ApiNode Node, IReadOnlyDictionary<string, ApiMedia> Content);
