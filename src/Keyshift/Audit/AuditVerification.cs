namespace Keyshift.Audit;

/// <summary>What <see cref="AuditVerifier.Verify"/> found: the log's size and head, and its problems by line.</summary>
public sealed class AuditVerification
{
    public required string Path { get; init; }

    /// <summary>Lines read (including bad ones).</summary>
    public long Lines { get; init; }

    /// <summary>The highest entry sequence number found: the number of entries in an intact log.</summary>
    public long Entries { get; init; }

    /// <summary>MAC of the entry numbered <see cref="Entries"/>, empty for an empty log.</summary>
    public string HeadMac { get; init; } = "";

    /// <summary>Bytes of the log that were verified (a snapshot: later appends are not included).</summary>
    public long Length { get; init; }

    /// <summary>The head from state.db that was checked, if any.</summary>
    public AuditHead? StateHead { get; init; }

    /// <summary>The outside checkpoint that was checked, if any.</summary>
    public AuditCheckpoint? Checkpoint { get; init; }

    /// <summary>The first problems, ordered by line (at most the number asked for).</summary>
    public required IReadOnlyList<AuditProblem> Problems { get; init; }

    /// <summary>All problems found, including those not listed.</summary>
    public long ProblemCount { get; init; }

    public bool Intact => ProblemCount == 0;

    public AuditProblem? FirstProblem => Problems.Count > 0 ? Problems[0] : null;
}
