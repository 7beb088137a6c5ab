namespace Keyshift.Stores;

/// <summary>What a store can do; the planner and executor ask before they act.</summary>
[Flags]
public enum StoreCapabilities
{
    None = 0,
    Read = 1,
    Write = 2,
    Delete = 4,
    List = 8,
    /// <summary>Keeps earlier versions of a secret.</summary>
    Versions = 16,
    /// <summary>Holds policy metadata (owner, rotation, tags) beside a secret.</summary>
    Metadata = 32,
    /// <summary>Staging labels such as AWSPENDING/AWSCURRENT.</summary>
    Labels = 64,
    /// <summary>Values can be written but never read back (GitHub Actions secrets).</summary>
    WriteOnly = 128,
    /// <summary>Keeps a log of who read which secret (a telemetry source).</summary>
    AccessLog = 256,
    /// <summary>Holds arbitrary bytes, not only UTF-8 text.</summary>
    Binary = 512,
    /// <summary>Addresses are <c>path#key</c> (nested) rather than a flat <c>KEY</c>.</summary>
    Nested = 1024,
}
