using Keyshift.Configuration;

namespace Keyshift.Stores.Hardcoded;

/// <summary>
/// One declared secret of a <c>hardcoded</c> store: where its value sits in the file (1-based line and
/// column, length in characters) and the keyed fingerprint the bytes there must have. No value.
/// </summary>
internal sealed record HardcodedSpan(string Name, int Line, int Column, int Length, string Fingerprint, SourceLocation DeclaredAt)
{
    /// <summary>What the span holds once rewritten: the environment placeholder the deployment resolves.</summary>
    public string Reference => "${" + Name + "}";
}
