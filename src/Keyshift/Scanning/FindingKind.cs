namespace Keyshift.Scanning;

/// <summary>What a finding is: a hardcoded secret value, or a reference to a secret kept elsewhere.</summary>
internal enum FindingKind
{
    /// <summary>A credential written in the content itself; fails the scan unless baselined or allowed.</summary>
    Secret,

    /// <summary>A pointer to a secret (<c>${VAR}</c>, <c>secretKeyRef</c>, <c>vault:</c>…); never fails the scan.</summary>
    Reference,
}
