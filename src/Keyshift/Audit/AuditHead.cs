namespace Keyshift.Audit;

/// <summary>
/// The audit chain's head kept in the state database (one row): how many entries the log has and the MAC
/// of the last one, so a log whose tail was cut off is detected.
/// </summary>
public sealed class AuditHead
{
    public int Id { get; set; } = 1;

    public long Count { get; set; }

    public string HeadMac { get; set; } = "";
}
