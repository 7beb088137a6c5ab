using Keyshift.Audit;

namespace Keyshift.Tests.Audit;

public sealed class AuditConcurrencyTests
{
    [Fact]
    public void Appenders_InSeveralInstancesAtOnce_KeepOneUnbrokenChainAndHead()
    {
        using var f = new AuditFixture();
        const int writers = 4, singles = 25, batch = 200;
        using var start = new Barrier(writers);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        // Created once up front: creating the schema is not what this test is about.
        f.State().Dispose();

        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() => Capture(failures, () =>
        {
            // Each writer is what a separate process would be: its own log instance and state connection.
            using var db = f.State();
            using var log = f.Open(db);
            start.SignalAndWait();
            for (var i = 0; i < singles; i++)
                log.Append(AuditFixture.Record((w * 1000) + i), db);
            log.AppendBatch(AuditFixture.Records(batch, from: (w * 1000) + 500), db);
        }))).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        failures.ShouldBeEmpty();

        const int total = writers * (singles + batch);
        using var state = f.State();
        var head = AuditHead.Read(state)!;
        var result = f.Verify(head);
        result.Intact.ShouldBeTrue(string.Join("\n", result.Problems));
        result.Entries.ShouldBe(total);
        head.Count.ShouldBe(total);
        head.HeadMac.ShouldBe(result.HeadMac);
    }

    [Fact]
    public void OneInstance_SharedByThreads_KeepsOneChain()
    {
        using var f = new AuditFixture();
        using var log = f.Open();

        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => log.Append(AuditFixture.Record(i)));

        var result = f.Verify();
        result.Intact.ShouldBeTrue();
        result.Entries.ShouldBe(200);
    }

    private static void Capture(System.Collections.Concurrent.ConcurrentQueue<Exception> failures, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            failures.Enqueue(e);
        }
    }
}
