namespace Keyshift.Execution;

/// <summary>A condition evaluated before a transition; its evidence goes to the audit log.</summary>
public sealed record Gate(string Name, bool Holds, string Evidence)
{
    public override string ToString() => $"{Name}: {Evidence}";
}
