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
        var config = ConfigLoader.Load(configPath);
        var workspace = config.Workspace;
        if (File.Exists(workspace.KeyPath))
            return new Migration(config, FingerprintKey.LoadOrCreate(workspace.KeyPath), StateDb.OpenSqlite(workspace.StatePath), time, persisted: true);
        return new Migration(config, FingerprintKey.CreateRandom(), StateDb.OpenInMemory(), time, persisted: false);
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

    public Dictionary<string, MoveRecord> LoadRecords(bool tracked = false)
    {
        var query = tracked ? Db.Moves : Db.Moves.AsNoTracking();
        return query.ToDictionary(m => m.Id, StringComparer.Ordinal);
    }

    /// <summary>Appends one audit entry per record for a step's phase (intent or done), with gate evidence.</summary>
    public void Audit(string step, string phase, IEnumerable<MoveRecord> records, Func<MoveRecord, IReadOnlyList<Gate>>? evidence = null)
    {
        // Wired to the hash-chained audit log when it lands (same session).
        _ = (step, phase, records, evidence);
    }

    public void Dispose() => Db.Dispose();
}
