using Keyshift.State;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.State;

public sealed class StateDbTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task OpeningANewStateDb_FromSeveralThreadsAtOnce_CreatesTheSchemaOnce()
    {
        var path = _dir.File(".keyshift/state.db");
        using var start = new Barrier(6);
        var opens = Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait(TestContext.Current.CancellationToken);
            using var db = StateDb.OpenSqlite(path);
            return MoveTable.LoadAll(db).Count;
        }, TestContext.Current.CancellationToken)).ToList();
        (await Task.WhenAll(opens)).ShouldAllBe(count => count == 0);
    }

    [Fact]
    public void MoveTable_SavesAndLoadsEveryField()
    {
        using var db = StateDb.OpenSqlite(_dir.File("state.db"));
        var at = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);
        var record = new MoveRecord
        {
            Id = "legacy:A", Origin = "legacy:*", Target = "gov:x#A", State = MoveState.DualRun, PendingStep = "retire",
            IntentFingerprint = "i", SourceFingerprint = "s", WrittenFingerprint = "w", TargetBefore = TargetBefore.Escrowed,
            PreviousTargetFingerprint = "p", Owner = "team", Rotation = "30d", Tags = "{\"a\":\"b\"}", StagedAt = at,
            VerifiedAt = at.AddMinutes(1), CutoverAt = at.AddMinutes(2), RetiredAt = null, UpdatedAt = at.AddMinutes(3),
            FailedStep = "verify", FailedReason = "why",
        };
        MoveTable.Save(db, [record]);
        record.Owner = "other";
        MoveTable.Save(db, [record]);
        var loaded = MoveTable.Load(db, ["legacy:A", "legacy:missing"]).ShouldHaveSingleItem().Value;
        loaded.ShouldBeEquivalentTo(record);
        db.Moves.Single().CutoverAt.ShouldBe(at.AddMinutes(2));
    }

    public void Dispose() => _dir.Dispose();
}
