namespace Keyshift.Audit;

/// <summary>What <see cref="AuditLineReader.Read"/> found.</summary>
internal enum AuditLineStatus
{
    End,
    Line,

    /// <summary>The last bytes of the range, without a newline: an interrupted write.</summary>
    Fragment,

    TooLong,
}
