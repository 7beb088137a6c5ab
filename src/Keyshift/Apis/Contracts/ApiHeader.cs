using Keyshift.Apis.Documents;

namespace Keyshift.Apis.Contracts;

/// <summary>A documented response header.</summary>
internal sealed record ApiHeader(string Name, ApiNode Node, ApiNode? Schema);
