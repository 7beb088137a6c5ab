using Keyshift.Audit;
using Keyshift.Configuration;
using Keyshift.Secrets;
using Keyshift.State;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Audit;

/// <summary>A workspace with a key, a fake clock and helpers to append, read, tamper with and verify its audit log.</summary>
internal sealed class AuditFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public AuditFixture()
    {
        ConfigPath = _dir.Write("keyshift.yaml", "version: 1\nname: audit-test\n");
        Workspace = new Workspace(ConfigPath);
        Key = FingerprintKey.LoadOrCreate(Workspace.KeyPath);
    }

    public string ConfigPath { get; }

    public Workspace Workspace { get; }

    public FingerprintKey Key { get; }

    public FakeTimeProvider Time { get; } = new();

    public string LogPath => Workspace.AuditPath;

    public string Dir => _dir.Path;

    public AuditLog Open(StateDb? state = null, TimeSpan? lockTimeout = null) =>
        AuditLog.Open(LogPath, Key, Time, state, new AuditLogOptions { Actor = "tester", LockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30) });

    public StateDb State() => StateDb.OpenSqlite(Workspace.StatePath);

    public static AuditRecord Record(int i) => new()
    {
        Action = "stage",
        Result = "ok",
        Move = $"legacy:KEY_{i}",
        Step = "stage",
        Evidence = AuditEvidence.None.With("index", i).With("gate.verified", true),
    };

    public static IReadOnlyList<AuditRecord> Records(int count, int from = 1) =>
        Enumerable.Range(from, count).Select(Record).ToList();

    /// <summary>Appends <paramref name="count"/> entries (advancing the state head when given) and returns the lines.</summary>
    public string[] Seed(int count, StateDb? state = null)
    {
        using var log = Open(state);
        log.AppendBatch(Records(count), state);
        return Lines();
    }

    public string[] Lines() => File.ReadAllLines(LogPath);

    public void WriteLines(IEnumerable<string> lines) => File.WriteAllText(LogPath, string.Concat(lines.Select(l => l + "\n")));

    public AuditVerification Verify(AuditHead? head = null, AuditCheckpoint? checkpoint = null) =>
        AuditVerifier.Verify(LogPath, Key, head, checkpoint);

    public void Dispose() => _dir.Dispose();
}
