namespace Keyshift.Configuration;

/// <summary>What a migration replaces (DESIGN.md invariant 1: every move states its goal).</summary>
public enum MigrationMode
{
    /// <summary>Same value, new store.</summary>
    StorageReplacement,

    /// <summary>New credential issued where it is valid, old one revoked.</summary>
    CredentialReplacement,

    /// <summary>New store, new credential, new owner, policy and audit.</summary>
    ControlPlaneReplacement,
}
