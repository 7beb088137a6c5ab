namespace Keyshift.Probes;

/// <summary>What the engine expects of a probe run: the new credential works, or the retired one is refused.</summary>
public enum ProbeExpectation
{
    Success,

    /// <summary>A negative probe: passes only when the server itself refuses the credential, never when it is unreachable.</summary>
    Refused,
}
