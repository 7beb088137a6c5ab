namespace Keyshift.Inventory;

/// <summary>Where a secret's age comes from: when Keyshift staged it, or the store file's modification time (an upper bound).</summary>
internal enum AgeSource
{
    Unknown,
    Staged,
    FileModified,
}
