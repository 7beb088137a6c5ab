using Keyshift.State;
using Microsoft.EntityFrameworkCore;

namespace Keyshift.Audit;

/// <summary>
/// The audit chain's head kept in the state database (one row): how many entries the log has and the MAC
/// of the last one, so a log whose tail was cut off is detected.
/// </summary>
public sealed class AuditHead
{
    public int Id { get; set; } = 1;

    public long Count { get; set; }

    public string HeadMac { get; set; } = "";

    /// <summary>The head as committed (or as written in the caller's open transaction); null when none was ever written.</summary>
    public static AuditHead? Read(StateDb db) => db.AuditHeads.AsNoTracking().FirstOrDefault(h => h.Id == 1);

    /// <summary>
    /// Moves the head forward to (<paramref name="count"/>, <paramref name="headMac"/>) inside the caller's current
    /// transaction, if any. It never moves back: appenders in several processes commit in any order, and the
    /// head only promises "the log has at least this many entries, and this is the MAC of that one".
    /// </summary>
    public static void Advance(StateDb db, long count, string headMac) =>
        db.Database.ExecuteSql(
            $"""
            INSERT INTO "audit_head" ("Id", "Count", "HeadMac") VALUES (1, {count}, {headMac})
            ON CONFLICT ("Id") DO UPDATE SET "Count" = excluded."Count", "HeadMac" = excluded."HeadMac"
            WHERE excluded."Count" > "audit_head"."Count"
            """);
}
