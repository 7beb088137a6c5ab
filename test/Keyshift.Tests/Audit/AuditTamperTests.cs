using Keyshift.Audit;
using Keyshift.Secrets;

namespace Keyshift.Tests.Audit;

public sealed class AuditTamperTests
{
    [Fact]
    public void Verify_OneCharacterOfAFieldEdited_ReportsThatLine()
    {
        using var f = new AuditFixture();
        var lines = f.Seed(10);
        lines[4] = lines[4].Replace("\"result\":\"ok\"", "\"result\":\"oK\"");
        f.WriteLines(lines);

        var result = f.Verify();

        result.Intact.ShouldBeFalse();
        result.ProblemCount.ShouldBe(1);
        result.FirstProblem!.Line.ShouldBe(5);
        result.FirstProblem.Kind.ShouldBe(AuditProblemKind.Edited);
        result.FirstProblem.Message.ShouldContain("MAC does not match");
    }

    [Fact]
    public void Verify_AMiddleLineDeleted_ReportsWhereItWas()
    {
        using var f = new AuditFixture();
        var lines = f.Seed(10).ToList();
        lines.RemoveAt(5);
        f.WriteLines(lines);

        var result = f.Verify();

        result.ProblemCount.ShouldBe(1);
        result.FirstProblem!.Line.ShouldBe(6);
        result.FirstProblem.Kind.ShouldBe(AuditProblemKind.Deleted);
        result.FirstProblem.Message.ShouldContain("entry 6 is missing");
    }

    [Fact]
    public void Verify_TwoLinesSwapped_ReportsTheFirstOfThem()
    {
        using var f = new AuditFixture();
        var lines = f.Seed(10);
        (lines[3], lines[4]) = (lines[4], lines[3]);
        f.WriteLines(lines);

        var result = f.Verify();

        result.ProblemCount.ShouldBe(1);
        result.FirstProblem!.Line.ShouldBe(4);
        result.FirstProblem.Kind.ShouldBe(AuditProblemKind.Reordered);
        result.FirstProblem.Message.ShouldContain("line 5");
    }

    [Fact]
    public void Verify_LastLineDeleted_IsCaughtByTheHeadInState()
    {
        using var f = new AuditFixture();
        using var db = f.State();
        var lines = f.Seed(10, db);
        f.WriteLines(lines[..9]);

        f.Verify().Intact.ShouldBeTrue("without the head a cut-off tail looks like a shorter log");
        var result = f.Verify(AuditHead.Read(db));

        result.ProblemCount.ShouldBe(1);
        result.FirstProblem!.Line.ShouldBe(10);
        result.FirstProblem.Kind.ShouldBe(AuditProblemKind.Truncated);
        result.FirstProblem.Message.ShouldContain("state.db records 10 entries");
        result.FirstProblem.Message.ShouldContain("ends at entry 9");
    }

    [Fact]
    public void Verify_LastLinesDeletedAndStateLeftAlone_IsCaughtByTheHeadInState()
    {
        using var f = new AuditFixture();
        using var db = f.State();
        using (var log = f.Open(db))
        {
            log.AppendBatch(AuditFixture.Records(20), db);
            log.AppendBatch(AuditFixture.Records(5, from: 21), db);
        }
        f.WriteLines(f.Lines()[..17]);

        var result = f.Verify(AuditHead.Read(db));

        result.FirstProblem!.Line.ShouldBe(18);
        result.FirstProblem.Kind.ShouldBe(AuditProblemKind.Truncated);
        result.FirstProblem.Message.ShouldContain("records 25 entries");
    }

    [Fact]
    public void Verify_TruncatedAndStateReset_IsCaughtByTheOutsideCheckpoint()
    {
        using var f = new AuditFixture();
        AuditCheckpoint checkpoint;
        using (var log = f.Open())
        {
            log.AppendBatch(AuditFixture.Records(12));
            checkpoint = log.Checkpoint();
            log.AppendBatch(AuditFixture.Records(3, from: 13));
        }
        // The attacker cuts the log to 8 lines and rolls state.db back to match: no head to compare with.
        f.WriteLines(f.Lines()[..8]);
        var rolledBackHead = new AuditHead { Count = 8, HeadMac = f.Verify().HeadMac };
        f.Verify(rolledBackHead).Intact.ShouldBeTrue();

        var result = f.Verify(rolledBackHead, checkpoint);

        result.ProblemCount.ShouldBe(1);
        result.FirstProblem!.Line.ShouldBe(9);
        result.FirstProblem.Kind.ShouldBe(AuditProblemKind.Truncated);
        result.FirstProblem.Message.ShouldContain("the checkpoint records 12 entries");
    }

    [Fact]
    public void Verify_LogRebuiltWithTheKeyAfterACheckpoint_ReportsTheRewrittenEntry()
    {
        using var f = new AuditFixture();
        AuditCheckpoint checkpoint;
        using (var log = f.Open())
        {
            log.AppendBatch(AuditFixture.Records(6));
            checkpoint = log.Checkpoint();
        }
        // Someone holding the key writes a different history of the same length.
        File.Delete(f.LogPath);
        f.Time.Advance(TimeSpan.FromHours(1));
        f.Seed(6);

        var result = f.Verify(null, checkpoint);

        result.FirstProblem!.Line.ShouldBe(6);
        result.FirstProblem.Kind.ShouldBe(AuditProblemKind.Rewritten);
    }

    [Fact]
    public void Verify_MalformedLine_ReportsOnlyThatLine()
    {
        using var f = new AuditFixture();
        var lines = f.Seed(6);
        lines[2] = lines[2][..40];
        f.WriteLines(lines);

        var result = f.Verify();

        result.ProblemCount.ShouldBe(1);
        result.FirstProblem!.Line.ShouldBe(3);
        result.FirstProblem.Kind.ShouldBe(AuditProblemKind.Malformed);
    }

    [Fact]
    public void Verify_ExtraLinesInserted_ReportsEachAsUnknown()
    {
        using var f = new AuditFixture();
        var lines = f.Seed(4).ToList();
        lines.Insert(2, "{\"note\":\"added by hand\"}");
        lines.Add("");
        f.WriteLines(lines);

        var result = f.Verify();

        result.Problems.Select(p => (p.Line, p.Kind)).ShouldBe([(3L, AuditProblemKind.UnknownLine), (6L, AuditProblemKind.UnknownLine)]);
    }

    [Fact]
    public void Verify_WhitespaceAddedToALine_ReportsItAsEdited()
    {
        using var f = new AuditFixture();
        var lines = f.Seed(3);
        lines[1] = lines[1].Replace("\"step\":", "\"step\": ");
        f.WriteLines(lines);

        var result = f.Verify();

        result.ProblemCount.ShouldBe(1);
        result.FirstProblem!.Line.ShouldBe(2);
        result.FirstProblem.Message.ShouldContain("canonical form");
    }

    [Fact]
    public void Verify_WithAnotherKey_ReportsTheFirstLine()
    {
        using var f = new AuditFixture();
        f.Seed(3);

        var result = AuditVerifier.Verify(f.LogPath, FingerprintKey.CreateRandom());

        result.FirstProblem!.Line.ShouldBe(1);
        result.FirstProblem.Kind.ShouldBe(AuditProblemKind.Edited);
    }

    [Fact]
    public void Verify_LogDeletedWhileStateHasAHead_ReportsTruncation()
    {
        using var f = new AuditFixture();
        using var db = f.State();
        f.Seed(3, db);
        File.Delete(f.LogPath);

        var result = f.Verify(AuditHead.Read(db));

        result.FirstProblem!.Kind.ShouldBe(AuditProblemKind.Truncated);
        result.FirstProblem.Message.ShouldContain("the log holds no entry");
    }
}
