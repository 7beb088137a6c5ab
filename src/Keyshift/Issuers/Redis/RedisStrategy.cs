namespace Keyshift.Issuers.Redis;

/// <summary>How a Redis ACL user's credential is replaced.</summary>
public enum RedisStrategy
{
    /// <summary>A second password on the same ACL user: old and new work side by side, but telemetry by user cannot tell them apart.</summary>
    MultiPassword,

    /// <summary>A second ACL user (<c>{account}_b</c>, and back) with the same rules: telemetry by user tells old from new.</summary>
    AlternatingUsers,
}
