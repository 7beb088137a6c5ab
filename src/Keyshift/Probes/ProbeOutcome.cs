namespace Keyshift.Probes;

/// <summary>What a probe found. Only <see cref="Refused"/> is evidence that a credential is revoked.</summary>
public enum ProbeOutcome
{
    /// <summary>The credential authenticated (and the probe's expectation on the response held).</summary>
    Succeeded,

    /// <summary>The server was reached and refused the credential (authentication or authorisation).</summary>
    Refused,

    /// <summary>The server could not be reached (connection refused, timeout, DNS, TLS handshake): proves nothing about the credential.</summary>
    Unreachable,

    /// <summary>Reached and authenticated, but something else was wrong (unexpected status, certificate expired, command failed).</summary>
    Failed,
}
