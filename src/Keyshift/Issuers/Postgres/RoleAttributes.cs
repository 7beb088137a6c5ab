namespace Keyshift.Issuers.Postgres;

/// <summary>A role's attributes as <c>pg_roles</c> shows them, and the comment Keyshift marks its roles with.</summary>
internal sealed record RoleAttributes(
    bool Superuser, bool Inherit, bool CreateRole, bool CreateDb, bool CanLogin, bool Replication, bool BypassRls, int ConnectionLimit, string Comment);
