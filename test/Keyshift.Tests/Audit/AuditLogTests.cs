using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Keyshift.Audit;
using Keyshift.State;
using Microsoft.EntityFrameworkCore;

namespace Keyshift.Tests.Audit;

public sealed class AuditLogTests
{
    [Fact]
    public void Append_ThenVerify_IsIntactAndKeepsEveryField()
    {
        using var f = new AuditFixture();
        using (var log = f.Open())
        {
            log.Append(new AuditRecord
            {
                Action = "approve",
                Result = "ok",
                Move = "legacy:DB_PASSWORD",
                Step = "retire",
                Actor = "approver:ana",
                Evidence = AuditEvidence.None.WithText("note", "quote \" backslash \\ newline \n tab \t é ✓").With("approvals", 2),
            });
            f.Time.Advance(TimeSpan.FromMinutes(5));
            log.Append(FixtureRecord());
        }

        f.Verify().Intact.ShouldBeTrue();
        var lines = f.Lines();
        lines.Length.ShouldBe(2);
        using var first = JsonDocument.Parse(lines[0]);
        var e = first.RootElement;
        e.GetProperty("seq").GetInt64().ShouldBe(1);
        e.GetProperty("time").GetString().ShouldBe("2026-11-22T09:00:00.0000000Z");
        e.GetProperty("actor").GetString().ShouldBe("approver:ana");
        e.GetProperty("action").GetString().ShouldBe("approve");
        e.GetProperty("move").GetString().ShouldBe("legacy:DB_PASSWORD");
        e.GetProperty("step").GetString().ShouldBe("retire");
        e.GetProperty("evidence").GetProperty("note").GetString().ShouldBe("quote \" backslash \\ newline \n tab \t é ✓");
        e.GetProperty("evidence").GetProperty("approvals").GetString().ShouldBe("2");
        using var second = JsonDocument.Parse(lines[1]);
        second.RootElement.GetProperty("actor").GetString().ShouldBe("tester");
        second.RootElement.GetProperty("time").GetString().ShouldBe("2026-11-22T09:05:00.0000000Z");

        static AuditRecord FixtureRecord() => AuditFixture.Record(7);
    }

    [Fact]
    public void Append_WritesTheDocumentedCanonicalFormAndChain()
    {
        using var f = new AuditFixture();
        var lines = f.Seed(2);

        // Recomputed from docs/audit.md alone: K = Mac("audit", "chain"); mac(n) = HMAC(K, mac(n-1) ‖ canonical(n)).
        const string canonical1 = """{"seq":1,"time":"2026-11-22T09:00:00.0000000Z","actor":"tester","action":"stage","move":"legacy:KEY_1","step":"stage","result":"ok","evidence":{"gate.verified":"true","index":"1"}}""";
        var k = f.Key.Mac("audit", "chain"u8);
        var mac1 = HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(canonical1));
        lines[0].ShouldBe(canonical1[..^1] + $",\"mac\":\"{Convert.ToHexStringLower(mac1)}\"}}");

        var canonical2 = canonical1.Replace("\"seq\":1", "\"seq\":2").Replace("KEY_1", "KEY_2").Replace("\"index\":\"1\"", "\"index\":\"2\"");
        var mac2 = HMACSHA256.HashData(k, mac1.Concat(Encoding.UTF8.GetBytes(canonical2)).ToArray());
        lines[1].ShouldBe(canonical2[..^1] + $",\"mac\":\"{Convert.ToHexStringLower(mac2)}\"}}");
    }

    [Fact]
    public void AppendBatch_OneHundredThousandEntries_VerifiesIntact()
    {
        using var f = new AuditFixture();
        using var log = f.Open();

        var position = log.AppendBatch(AuditFixture.Records(100_000));

        position.Count.ShouldBe(100_000);
        var result = f.Verify();
        result.Intact.ShouldBeTrue();
        result.Entries.ShouldBe(100_000);
        result.Lines.ShouldBe(100_000);
        result.HeadMac.ShouldBe(log.HeadMac);
    }

    [Fact]
    public void AppendBatch_WithState_AdvancesTheHeadInTheCallersTransaction()
    {
        using var f = new AuditFixture();
        using var db = f.State();
        using var log = f.Open(db);

        using (var tx = db.Database.BeginTransaction())
        {
            log.AppendBatch(AuditFixture.Records(3), db);
            AuditHead.Read(db)!.Count.ShouldBe(3);
            tx.Rollback();
        }
        AuditHead.Read(db).ShouldBeNull();

        using (var tx = db.Database.BeginTransaction())
        {
            var position = log.AppendBatch(AuditFixture.Records(2, from: 4), db);
            tx.Commit();
            AuditHead.Read(db)!.Count.ShouldBe(5);
            AuditHead.Read(db)!.HeadMac.ShouldBe(position.HeadMac);
        }
    }

    [Fact]
    public void Open_WhenTheFileIsAheadOfTheHead_AcceptsTheVerifiedEntriesAndAdvancesTheHead()
    {
        using var f = new AuditFixture();
        using (var db = f.State())
        {
            f.Seed(4, db);
            // A crash after the fsync but before the state commit: lines on disk, head not moved.
            using var log = f.Open(db);
            using var tx = db.Database.BeginTransaction();
            log.AppendBatch(AuditFixture.Records(3, from: 5), db);
            tx.Rollback();
            AuditHead.Read(db)!.Count.ShouldBe(4);
        }

        using (var db = f.State())
        using (var log = f.Open(db))
        {
            log.Count.ShouldBe(7);
            AuditHead.Read(db)!.Count.ShouldBe(7);
            AuditHead.Read(db)!.HeadMac.ShouldBe(log.HeadMac);
        }
    }

    [Fact]
    public void Open_WhenTheHeadIsAheadOfTheFile_FailsClosed()
    {
        using var f = new AuditFixture();
        using var db = f.State();
        var lines = f.Seed(5, db);
        f.WriteLines(lines[..3]);

        var e = Should.Throw<AuditUnavailableException>(() => f.Open(db));
        e.Message.ShouldContain("ends at entry 3, but state.db records 5 entries");
    }

    [Fact]
    public void Open_WhenTheEntryAtTheHeadWasRewritten_FailsClosed()
    {
        using var f = new AuditFixture();
        using var db = f.State();
        f.Seed(3, db);
        db.Database.ExecuteSql($"UPDATE audit_head SET HeadMac = {new string('0', 64)}");

        Should.Throw<AuditUnavailableException>(() => f.Open(db)).Message.ShouldContain("another MAC than the head recorded in state.db");
    }

    [Fact]
    public void Open_WhenTheLastLineWasEdited_FailsClosed()
    {
        using var f = new AuditFixture();
        var lines = f.Seed(3);
        lines[2] = lines[2].Replace("KEY_3", "KEY_9");
        f.WriteLines(lines);

        Should.Throw<AuditUnavailableException>(() => f.Open()).Message.ShouldContain("entry 3: its MAC does not match");
    }

    [Fact]
    public void Append_SeesWhatAnotherInstanceAppended_AndContinuesTheChain()
    {
        using var f = new AuditFixture();
        using var a = f.Open();
        using var b = f.Open();

        a.Append(AuditFixture.Record(1));
        b.Append(AuditFixture.Record(2));
        var last = a.Append(AuditFixture.Record(3));

        last.Count.ShouldBe(3);
        var result = f.Verify();
        result.Intact.ShouldBeTrue();
        result.Entries.ShouldBe(3);
    }

    [Fact]
    public void Append_WhenAnotherInstanceTruncatedTheLog_FailsClosed()
    {
        using var f = new AuditFixture();
        using var log = f.Open();
        log.AppendBatch(AuditFixture.Records(3));
        var lines = f.Lines();
        f.WriteLines(lines[..2]);

        Should.Throw<AuditUnavailableException>(() => log.Append(AuditFixture.Record(4))).Message.ShouldContain("shrank");
        f.Lines().Length.ShouldBe(2);
    }

    [Fact]
    public void Append_AfterAnInterruptedWrite_RemovesTheIncompleteLineAndRecordsTheRepair()
    {
        using var f = new AuditFixture();
        f.Seed(3);
        const string fragment = "{\"seq\":4,\"time\":\"2026-11-2";
        File.AppendAllText(f.LogPath, fragment);
        var before = f.Verify();
        before.FirstProblem!.Kind.ShouldBe(AuditProblemKind.IncompleteLine);
        before.FirstProblem.Line.ShouldBe(4);

        using (var log = f.Open())
            log.Append(AuditFixture.Record(5));

        f.Verify().Intact.ShouldBeTrue();
        var lines = f.Lines();
        lines.Length.ShouldBe(5);
        lines[3].ShouldContain("\"action\":\"audit.repair\"");
        lines[3].ShouldContain($"\"incompleteLineBytesRemoved\":\"{fragment.Length}\"");
    }

    [Fact]
    public void Checkpoint_NamesTheCountAndHead()
    {
        using var f = new AuditFixture();
        using var log = f.Open();
        var position = log.AppendBatch(AuditFixture.Records(4));

        var checkpoint = log.Checkpoint();

        checkpoint.Count.ShouldBe(4);
        checkpoint.HeadMac.ShouldBe(position.HeadMac);
        checkpoint.ToJson().ShouldBe($"{{\"count\":4,\"headMac\":\"{position.HeadMac}\",\"time\":\"2026-11-22T09:00:00.0000000Z\"}}");
    }
}
