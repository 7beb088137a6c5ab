using Keyshift.Secrets;

namespace Keyshift.Scanning;

/// <summary>
/// One thing the scanner found. A secret carries its keyed <see cref="Fingerprint"/> and a masked form
/// (<c>ghp_…(40)</c>) but never its characters; a reference carries the name it points to.
/// </summary>
internal sealed record Finding
{
    public required string RuleId { get; init; }

    public required FindingKind Kind { get; init; }

    public required FindingLocation Location { get; init; }

    /// <summary>HMAC of the secret under the run's fingerprint key; null for references.</summary>
    public Fingerprint? Fingerprint { get; init; }

    /// <summary>HMAC of the secret under the baseline's key, when a baseline key was given.</summary>
    public Fingerprint? BaselineFingerprint { get; init; }

    /// <summary>At most four characters of a known public prefix, then the length: <c>AKIA…(20)</c>.</summary>
    public string? Masked { get; init; }

    /// <summary>The referenced name (<c>DB_PASSWORD</c>, <c>db-secret#password</c>); null for secrets.</summary>
    public string? ReferenceName { get; init; }

    /// <summary>How many times a history scan found this reference (re-added by later commits); 1 otherwise.</summary>
    public int Occurrences { get; init; } = 1;

    /// <summary>The secret itself, only when <see cref="ScanOptions.KeepValues"/> asked for it (init --from-scan); never printed.</summary>
    public SecretValue? Value { get; init; }
}
