namespace Keyshift.Issuers;

/// <summary>
/// An issuer could not do a step (server unreachable, admin refused, role missing, privileges missing).
/// The message names the issuer and the step; it never holds a secret value. <see cref="ChangedNothing"/>
/// tells the engine whether the step left the system as it was (exit 2) or part-way (exit 3, state kept).
/// </summary>
public sealed class IssuerException(string message, Exception? inner = null, bool changedNothing = true) : Exception(message, inner)
{
    public bool ChangedNothing { get; } = changedNothing;
}
