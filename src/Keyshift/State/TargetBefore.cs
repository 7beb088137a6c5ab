namespace Keyshift.State;

/// <summary>What the target held before Keyshift first wrote to it: what rollback must restore.</summary>
public enum TargetBefore
{
    /// <summary>Nothing: rollback deletes what Keyshift wrote.</summary>
    Empty,

    /// <summary>The same value already: Keyshift wrote nothing, rollback leaves it.</summary>
    Equal,

    /// <summary>Another value, kept in the escrow: rollback restores it.</summary>
    Escrowed,
}
