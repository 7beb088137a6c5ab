using System.Data.Common;
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
        Query(db, Select + " WHERE \"Id\" IN (SELECT value FROM json_each(@ids))", JsonSerializer.Serialize(ids));

    /// <summary>Inserts or updates the rows in the caller's transaction (or its own, when there is none).</summary>
    public static void Save(StateDb db, IEnumerable<MoveRecord> records)
    {
        var connection = db.Database.GetDbConnection();
        var own = db.Database.CurrentTransaction is null ? db.Database.BeginTransaction() : null;
        try
        {
            using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
            command.CommandText =
                $"INSERT INTO \"moves\" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", Columns.Select(c => "@" + c))}) " +
                $"ON CONFLICT(\"Id\") DO UPDATE SET {string.Join(", ", Columns.Skip(1).Select(c => $"\"{c}\" = excluded.\"{c}\""))}";
            var parameters = Columns.Select(c =>
            {
                var p = command.CreateParameter();
                p.ParameterName = "@" + c;
                command.Parameters.Add(p);
                return p;
            }).ToArray();
            command.Prepare();
            foreach (var r in records)
            {
                object?[] values =
                [
                    r.Id, r.Origin, r.Target, r.State.ToString(), r.PendingStep, r.IntentFingerprint, r.SourceFingerprint,
                    r.WrittenFingerprint, r.TargetBefore.ToString(), r.PreviousTargetFingerprint, r.Owner, r.Rotation, r.Tags,
                    Ticks(r.StagedAt), Ticks(r.VerifiedAt), Ticks(r.CutoverAt), Ticks(r.RetiredAt), r.UpdatedAt.UtcTicks,
                    r.FailedStep, r.FailedReason, r.PendingDescriptor, r.NewDescriptor, r.Attempt,
                ];
                for (var i = 0; i < values.Length; i++)
                    parameters[i].Value = values[i] ?? DBNull.Value;
                command.ExecuteNonQuery();
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
        using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        if (ids is not null)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@ids";
            p.Value = ids;
            command.Parameters.Add(p);
        }
        var result = new Dictionary<string, MoveRecord>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var record = new MoveRecord
            {
                Id = reader.GetString(0),
                Origin = reader.GetString(1),
                Target = reader.GetString(2),
                State = Enum.Parse<MoveState>(reader.GetString(3)),
                PendingStep = Text(reader, 4),
                IntentFingerprint = Text(reader, 5),
                SourceFingerprint = Text(reader, 6),
                WrittenFingerprint = Text(reader, 7),
                TargetBefore = Enum.Parse<TargetBefore>(reader.GetString(8)),
                PreviousTargetFingerprint = Text(reader, 9),
                Owner = Text(reader, 10),
                Rotation = Text(reader, 11),
                Tags = Text(reader, 12),
                StagedAt = Time(reader, 13),
                VerifiedAt = Time(reader, 14),
                CutoverAt = Time(reader, 15),
                RetiredAt = Time(reader, 16),
                UpdatedAt = Time(reader, 17) ?? default,
                FailedStep = Text(reader, 18),
                FailedReason = Text(reader, 19),
                PendingDescriptor = Text(reader, 20),
                NewDescriptor = Text(reader, 21),
                Attempt = reader.GetInt32(22),
            };
            result[record.Id] = record;
        }
        return result;
    }

    private static string? Text(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static DateTimeOffset? Time(DbDataReader reader, int i) =>
        reader.IsDBNull(i) ? null : new DateTimeOffset(reader.GetInt64(i), TimeSpan.Zero);

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
