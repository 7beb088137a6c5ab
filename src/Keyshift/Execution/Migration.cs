using Keyshift.Audit;
using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.State;
using Keyshift.Stores;
using Microsoft.EntityFrameworkCore;

namespace Keyshift.Execution;

/// <summary>
/// An opened workspace: the validated config with its stores, the fingerprint key, the state database
/// and the clock. Every command that works on moves starts here.
/// </summary>
public sealed class Migration : IDisposable
{
    private Migration(KeyshiftConfig config, FingerprintKey key, StateDb db, TimeProvider time, bool persisted)
    {
        Config = config;
        Key = key;
        Db = db;
        Time = time;
        Persisted = persisted;
    }

    public KeyshiftConfig Config { get; }

    public FingerprintKey Key { get; }

    private AuditLog? _audit;

    public StateDb Db { get; private set; }

    /// <summary>False while the workspace has no <c>.keyshift/</c> yet and nothing asked to create it.</summary>
    public bool Persisted { get; private set; }

    public TimeProvider Time { get; }

    public Workspace Workspace => Config.Workspace;

    /// <summary>Stores read and written at once.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// Loads and validates the config, then opens the state. A workspace without <c>.keyshift/</c> gets an
    /// in-memory key and state, so read-only commands and bad input leave the folder exactly as it was;
    /// <see cref="Persist"/> creates <c>.keyshift/</c> (with that same key) before the first change.
    /// </summary>
    public static Migration Open(string configPath, TimeProvider time)
    {
        // The key comes first: issuers are built with it (they keep keyed fingerprints, never hashes).
        var workspace = new Workspace(Path.GetFullPath(configPath));
        var persisted = File.Exists(workspace.KeyPath);
        var key = persisted ? FingerprintKey.LoadOrCreate(workspace.KeyPath) : FingerprintKey.CreateRandom();
        var config = ConfigLoader.Load(configPath, key);
        if (persisted)
            return new Migration(config, key, StateDb.OpenSqlite(workspace.StatePath), time, persisted: true);
        return new Migration(config, key, StateDb.OpenInMemory(), time, persisted: false);
    }

    /// <summary>Creates <c>.keyshift/</c> (key, state database) if it does not exist yet. Call before the first change.</summary>
    public void Persist()
    {
        if (Persisted)
            return;
        Key.SaveNew(Workspace.KeyPath);
        Db.Dispose();
        Db = StateDb.OpenSqlite(Workspace.StatePath);
        Persisted = true;
    }

    /// <summary>Holds the workspace for a changing command until disposed; another one running is bad input (exit 2).</summary>
    public IDisposable LockChanges() => WorkspaceLock.Acquire(Workspace);

    public string Fingerprint(SecretValue value) => Key.Of(value).Hex;

    /// <summary>Reads the given addresses, one batch per store.</summary>
    public async Task<Dictionary<SecretAddress, SecretValue>> ReadAsync(IEnumerable<SecretAddress> addresses, CancellationToken cancellationToken)
    {
        var groups = addresses.GroupBy(a => a.Store, StringComparer.Ordinal).ToList();
        var reads = new IReadOnlyDictionary<SecretAddress, SecretValue>[groups.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, groups.Count), Options(cancellationToken), async (i, ct) =>
            reads[i] = await Config.Stores[groups[i].Key].ReadAsync(groups[i].ToList(), ct));
        var result = new Dictionary<SecretAddress, SecretValue>(reads.Sum(r => r.Count));
        foreach (var values in reads)
        {
            foreach (var (address, value) in values)
                result[address] = value;
        }
        return result;
    }

    /// <summary>Applies changes, one batch (one file rewrite) per store.</summary>
    public async Task ApplyAsync(IEnumerable<StoreChange> changes, CancellationToken cancellationToken)
    {
        var groups = changes.GroupBy(c => c.Address.Store, StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(groups, Options(cancellationToken), async (group, ct) =>
            await Config.Stores[group.Key].ApplyAsync(group.ToList(), ct));
    }

    private ParallelOptions Options(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken };

    public Dictionary<string, MoveRecord> LoadRecords() => MoveTable.LoadAll(Db);

    /// <summary>
    /// Records a step's phase for the given moves: one audit entry each (written and fsynced first; if the
    /// log cannot be written nothing is recorded and the step must not happen), then the rows and any other
    /// pending state changes, in one transaction.
    /// </summary>
    public void Commit(string step, string result, IReadOnlyCollection<MoveRecord> records, Func<MoveRecord, AuditEvidence>? evidence = null)
    {
        var entries = records.Select(r => new AuditRecord
        {
            Action = step,
            Result = result,
            Move = r.Id,
            Step = step,
            Evidence = evidence?.Invoke(r) ?? Evidence(r),
        }).ToList();
        Commit(entries, records);
    }

    /// <summary>Appends the audit entries (fail closed), then saves the rows and pending EF changes in one transaction.</summary>
    public void Commit(IReadOnlyList<AuditRecord> entries, IReadOnlyCollection<MoveRecord>? records = null)
    {
        Persist();
        _audit ??= AuditLog.Open(Workspace.AuditPath, Key, Time, Db);
        using var transaction = Db.Database.BeginTransaction();
        if (entries.Count > 0)
            _audit.AppendBatch(entries, Db);
        if (records is not null)
            MoveTable.Save(Db, records);
        Db.SaveChanges();
        transaction.Commit();
    }

    /// <summary>What every entry about a move carries: its state and fingerprints, never a value.</summary>
    public static AuditEvidence Evidence(MoveRecord record)
    {
        var evidence = AuditEvidence.None.With("state", record.State).WithText("target", record.Target);
        if (record.IntentFingerprint is { } intent)
            evidence = evidence.With("intent", new Fingerprint(intent));
        if (record.WrittenFingerprint is { } written)
            evidence = evidence.With("written", new Fingerprint(written));
        if (record.FailedReason is { } reason)
            evidence = evidence.WithText("failure", reason);
        return evidence;
    }

    public static AuditEvidence Evidence(MoveRecord record, IReadOnlyList<Gate> gates)
    {
        var evidence = Evidence(record);
        foreach (var gate in gates)
            evidence = evidence.With($"gate.{gate.Name}", gate.Holds).WithText($"gate.{gate.Name}.evidence", gate.Evidence);
        return evidence;
    }

    public void Dispose()
    {
        _audit?.Dispose();
        Db.Dispose();
    }
}
