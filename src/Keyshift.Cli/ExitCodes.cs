namespace Keyshift.Cli;

/// <summary>The exit codes users script against.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and found something: drift, gates not met, conflicts, findings.</summary>
    public const int Found = 1;

    /// <summary>Bad input; nothing was changed.</summary>
    public const int BadInput = 2;

    /// <summary>An operation failed part-way; state is kept and a re-run resumes.</summary>
    public const int PartialFailure = 3;
}
