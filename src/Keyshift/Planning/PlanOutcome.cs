namespace Keyshift.Planning;

/// <summary>What stage will do to a move's target (DESIGN.md "Plan outcomes").</summary>
public enum PlanOutcome
{
    /// <summary>The target is empty: the value is written.</summary>
    Create,

    /// <summary>The target already holds the value: nothing is written.</summary>
    NoOp,

    /// <summary>The target holds an older value Keyshift wrote for this move: it is replaced.</summary>
    Update,

    /// <summary>The target holds a value Keyshift did not write: nothing happens until onConflict: overwrite.</summary>
    Conflict,

    /// <summary>A conflict the config allows to overwrite; the previous value goes to the escrow.</summary>
    Overwrite,

    /// <summary>The move is past staging; only its next step remains.</summary>
    InProgress,

    /// <summary>Retired, rolled back or compromised: nothing left to do.</summary>
    Done,
}
