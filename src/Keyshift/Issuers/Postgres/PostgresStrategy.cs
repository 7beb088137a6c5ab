namespace Keyshift.Issuers.Postgres;

/// <summary>How a PostgreSQL credential is replaced.</summary>
public enum PostgresStrategy
{
    /// <summary>A second role with the same grants, memberships and settings; old and new work side by side.</summary>
    AlternatingUsers,

    /// <summary>A new password on the same role: the old password stops working at once (no dual-run).</summary>
    SingleUser,
}
