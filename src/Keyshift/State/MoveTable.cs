using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Keyshift.State;

/// <summary>
/// Bulk reads and writes of <see cref="MoveRecord"/> rows on the state database's own connection. EF Core
/// owns the schema and every small query; this exists because materialising and change-tracking a row
/// through EF costs tens of microseconds, and a run moves 100,000 secrets through four steps.
/// </summary>
public static class MoveTable
{
    private static readonly string[] Columns =
    [
        nameof(MoveRecord.Id), nameof(MoveRecord.Origin), nameof(MoveRecord.Target), nameof(MoveRecord.State),
        nameof(MoveRecord.PendingStep), nameof(MoveRecord.IntentFingerprint), nameof(MoveRecord.SourceFingerprint),
        nameof(MoveRecord.WrittenFingerprint), nameof(MoveRecord.TargetBefore), nameof(MoveRecord.PreviousTargetFingerprint),
        nameof(MoveRecord.Owner), nameof(MoveRecord.Rotation), nameof(MoveRecord.Tags), nameof(MoveRecord.StagedAt),
        nameof(MoveRecord.VerifiedAt), nameof(MoveRecord.CutoverAt), nameof(MoveRecord.RetiredAt), nameof(MoveRecord.UpdatedAt),
        nameof(MoveRecord.FailedStep), nameof(MoveRecord.FailedReason), nameof(MoveRecord.PendingDescriptor),
        nameof(MoveRecord.NewDescriptor), nameof(MoveRecord.Attempt),
    ];

    private static readonly string Select = $"SELECT {string.Join(", ", Columns.Select(c => $"\"{c}\""))} FROM \"moves\"";

    public static Dictionary<string, MoveRecord> LoadAll(StateDb db) => Query(db, Select, null);

    public static Dictionary<string, MoveRecord> Load(StateDb db, IEnumerable<string> ids) =>
        Query(db, Select + " WHERE \"Id\" IN (SELECT value FROM json_each(?1))", JsonSerializer.Serialize(ids));

    /// <summary>
    /// The moves' states only (id, state, pending step, failure): what selecting the moves for a step and
    /// reporting outcomes need, without materialising every column of 100,000 rows.
    /// </summary>
    public static List<MoveRecord> LoadStates(StateDb db)
    {
        using var statement = Statement.Prepare(db, "SELECT \"Id\", \"State\", \"PendingStep\", \"FailedReason\" FROM \"moves\"");
        var result = new List<MoveRecord>();
        while (statement.Step())
        {
            result.Add(new MoveRecord
            {
                Id = statement.Text(0)!,
                Origin = "",
                Target = "",
                State = Enum.Parse<MoveState>(statement.Text(1)!),
                PendingStep = statement.Text(2),
                FailedReason = statement.Text(3),
            });
        }
        return result;
    }

    /// <summary>Inserts or updates the rows in the caller's transaction (or its own, when there is none).</summary>
    public static void Save(StateDb db, IEnumerable<MoveRecord> records)
    {
        var own = db.Database.CurrentTransaction is null ? db.Database.BeginTransaction() : null;
        try
        {
            using var statement = Statement.Prepare(db,
                $"INSERT INTO \"moves\" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", Columns.Select((_, i) => $"?{i + 1}"))}) " +
                $"ON CONFLICT(\"Id\") DO UPDATE SET {string.Join(", ", Columns.Skip(1).Select(c => $"\"{c}\" = excluded.\"{c}\""))}");
            foreach (var r in records)
            {
                statement.Bind(1, r.Id);
                statement.Bind(2, r.Origin);
                statement.Bind(3, r.Target);
                statement.Bind(4, r.State.ToString());
                statement.Bind(5, r.PendingStep);
                statement.Bind(6, r.IntentFingerprint);
                statement.Bind(7, r.SourceFingerprint);
                statement.Bind(8, r.WrittenFingerprint);
                statement.Bind(9, r.TargetBefore.ToString());
                statement.Bind(10, r.PreviousTargetFingerprint);
                statement.Bind(11, r.Owner);
                statement.Bind(12, r.Rotation);
                statement.Bind(13, r.Tags);
                statement.Bind(14, Ticks(r.StagedAt));
                statement.Bind(15, Ticks(r.VerifiedAt));
                statement.Bind(16, Ticks(r.CutoverAt));
                statement.Bind(17, Ticks(r.RetiredAt));
                statement.Bind(18, r.UpdatedAt.UtcTicks);
                statement.Bind(19, r.FailedStep);
                statement.Bind(20, r.FailedReason);
                statement.Bind(21, r.PendingDescriptor);
                statement.Bind(22, r.NewDescriptor);
                statement.Bind(23, r.Attempt);
                statement.Execute();
            }
            own?.Commit();
        }
        finally
        {
            own?.Dispose();
        }
    }

    private static Dictionary<string, MoveRecord> Query(StateDb db, string sql, string? ids)
    {
        using var statement = Statement.Prepare(db, sql);
        if (ids is not null)
            statement.Bind(1, ids);
        var result = new Dictionary<string, MoveRecord>(StringComparer.Ordinal);
        while (statement.Step())
        {
            var record = new MoveRecord
            {
                Id = statement.Text(0)!,
                Origin = statement.Text(1)!,
                Target = statement.Text(2)!,
                State = Enum.Parse<MoveState>(statement.Text(3)!),
                PendingStep = statement.Text(4),
                IntentFingerprint = statement.Text(5),
                SourceFingerprint = statement.Text(6),
                WrittenFingerprint = statement.Text(7),
                TargetBefore = Enum.Parse<TargetBefore>(statement.Text(8)!),
                PreviousTargetFingerprint = statement.Text(9),
                Owner = statement.Text(10),
                Rotation = statement.Text(11),
                Tags = statement.Text(12),
                StagedAt = Time(statement.Int64(13)),
                VerifiedAt = Time(statement.Int64(14)),
                CutoverAt = Time(statement.Int64(15)),
                RetiredAt = Time(statement.Int64(16)),
                UpdatedAt = Time(statement.Int64(17)) ?? default,
                FailedStep = statement.Text(18),
                FailedReason = statement.Text(19),
                PendingDescriptor = statement.Text(20),
                NewDescriptor = statement.Text(21),
                Attempt = (int)(statement.Int64(22) ?? 0),
            };
            result[record.Id] = record;
        }
        return result;
    }

    private static DateTimeOffset? Time(long? ticks) => ticks is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    private static long? Ticks(DateTimeOffset? time) => time?.UtcTicks;

    /// <summary>The EF mapping that matches the statements above: enums as names, times as UTC ticks.</summary>
    internal static void Configure(ModelBuilder modelBuilder) => modelBuilder.Entity<MoveRecord>(e =>
    {
        e.ToTable("moves").HasKey(m => m.Id);
        e.Property(m => m.State).HasConversion<string>();
        e.Property(m => m.TargetBefore).HasConversion<string>();
        foreach (var property in new[] { nameof(MoveRecord.StagedAt), nameof(MoveRecord.VerifiedAt), nameof(MoveRecord.CutoverAt), nameof(MoveRecord.RetiredAt), nameof(MoveRecord.UpdatedAt) })
            e.Property(property).HasConversion(new Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero)));
        e.HasIndex(m => m.State);
    });
}
