namespace Keyshift.Configuration;

/// <summary>What to do when a target already holds a value Keyshift did not write.</summary>
public enum ConflictPolicy
{
    /// <summary>Report a conflict; plan and apply exit 1 and change nothing.</summary>
    Fail,

    /// <summary>Overwrite, keeping the previous value in the workspace escrow so rollback restores it.</summary>
    Overwrite,
}
