namespace Keyshift.Stores.Hardcoded;

/// <summary>What a declared span holds now.</summary>
internal enum SpanState
{
    /// <summary>The declared value (its fingerprint matches).</summary>
    Value,

    /// <summary>The reference <c>${NAME}</c>: Keyshift rewrote it.</summary>
    Rewritten,

    /// <summary>Something else: the file changed since the config was written.</summary>
    Changed,
}
