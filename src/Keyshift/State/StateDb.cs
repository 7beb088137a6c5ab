using Keyshift.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Keyshift.State;

/// <summary>
/// Keyshift's state: SQLite in <c>.keyshift/state.db</c> by default (WAL, busy timeout, usable by several
/// processes at once). Never holds a secret value: only fingerprints, states and evidence.
/// </summary>
public sealed class StateDb(DbContextOptions<StateDb> options) : DbContext(options)
{
    public DbSet<AuditHead> AuditHeads => Set<AuditHead>();

    public DbSet<MoveRecord> Moves => Set<MoveRecord>();

    public DbSet<Approval> Approvals => Set<Approval>();

    public DbSet<UsageRecord> Usage => Set<UsageRecord>();
    public DbSet<ObservationRecord> Observations => Set<ObservationRecord>();

    public DbSet<CoverageRecord> Coverage => Set<CoverageRecord>();

    public DbSet<GatewayRollbackRecord> GatewayRollbacks => Set<GatewayRollbackRecord>();

    public DbSet<TelemetryCursor> TelemetryCursors => Set<TelemetryCursor>();

    /// <summary>Opens (creating when needed) the SQLite state database at <paramref name="path"/>.</summary>
    public static StateDb OpenSqlite(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30, Pooling = false }.ToString();
        var options = new DbContextOptionsBuilder<StateDb>().UseSqlite(connection).Options;
        var db = new StateDb(options);
        db.Database.OpenConnection();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL; PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL;");
        // watch, gateway, serve and the CLI may create a new state.db at the same moment: an immediate
        // transaction makes one of them create the schema while the others wait and then find it there.
        using (var transaction = db.Database.BeginTransaction())
        {
            db.Database.EnsureCreated();
            transaction.Commit();
        }
        return db;
    }

    /// <summary>An empty state that lives as long as the object: for read-only commands on a workspace never applied.</summary>
    public static StateDb OpenInMemory()
    {
        var options = new DbContextOptionsBuilder<StateDb>().UseSqlite("Data Source=:memory:").Options;
        var db = new StateDb(options);
        db.Database.OpenConnection();
        db.Database.EnsureCreated();
        return db;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<AuditHead>().ToTable("audit_head").HasKey(h => h.Id);
        MoveTable.Configure(modelBuilder);
        UsageRecord.Configure(modelBuilder);
        GatewayRollbackRecord.Configure(modelBuilder);
        modelBuilder.Entity<Approval>(e =>
        {
            e.ToTable("approvals").HasKey(a => a.Id);
            e.HasIndex(a => new { a.MoveId, a.By }).IsUnique();
        });
        // Times as UTC ticks (SQLite cannot order DateTimeOffset), so the quiet-window queries run in the database.
        var ticks = new Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        modelBuilder.Entity<ObservationRecord>(e =>
        {
            e.ToTable("observations").HasKey(o => o.Id);
            e.Property(o => o.Time).HasConversion(ticks);
            e.HasIndex(o => new { o.Username, o.Time });
        });
        modelBuilder.Entity<CoverageRecord>(e =>
        {
            e.ToTable("coverage").HasKey(c => c.Id);
            e.Property(c => c.From).HasConversion(ticks);
            e.Property(c => c.To).HasConversion(ticks);
            e.HasIndex(c => new { c.Source, c.To });
        });
        modelBuilder.Entity<TelemetryCursor>(e =>
        {
            e.ToTable("telemetry_cursors").HasKey(c => c.Source);
            e.Property(c => c.UpdatedAt).HasConversion(ticks);
        });
    }
}
