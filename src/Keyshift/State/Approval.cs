namespace Keyshift.State;

/// <summary>An approval of a move's retirement, recorded by <c>keyshift approve</c>.</summary>
public sealed class Approval
{
    public long Id { get; set; }

    public required string MoveId { get; set; }

    public required string By { get; set; }

    public DateTimeOffset At { get; set; }
}
