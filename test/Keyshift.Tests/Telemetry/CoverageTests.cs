using Keyshift.Telemetry;

namespace Keyshift.Tests.Telemetry;

public sealed class CoverageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int seconds) => T0.AddSeconds(seconds);

    [Fact]
    public void SamplesNoFurtherApartThanTheInterval_CoverTheWindow()
    {
        var samples = Enumerable.Range(0, 7).Select(i => Coverage.At(At(i * 10))).ToList();
        Coverage.Covers(samples, At(0), At(60), TimeSpan.FromSeconds(10)).ShouldBeTrue();
    }

    [Fact]
    public void AMissedSample_LeavesAHole_AndTheWindowIsNotCovered()
    {
        var samples = new[] { 0, 10, 20, 45, 50, 60 }.Select(s => Coverage.At(At(s))).ToList();
        Coverage.Covers(samples, At(0), At(60), TimeSpan.FromSeconds(10)).ShouldBeFalse();
    }

    [Fact]
    public void NoEvidence_CoversNothing() => Coverage.Covers([], At(0), At(1), TimeSpan.FromSeconds(10)).ShouldBeFalse();

    [Fact]
    public void ContiguousLogReads_CoverTheWindow_WithNoGapAllowed()
    {
        var reads = new[] { new Coverage(At(-100), At(20)), new Coverage(At(20), At(45)), new Coverage(At(45), At(70)) };
        Coverage.Covers(reads, At(0), At(60), TimeSpan.Zero).ShouldBeTrue();
        Coverage.Covers(reads, At(0), At(80), TimeSpan.Zero).ShouldBeFalse();
    }

    [Fact]
    public void EvidenceStartingAfterTheWindowOpens_DoesNotCoverIt() =>
        Coverage.Covers([new Coverage(At(30), At(90))], At(0), At(60), TimeSpan.FromSeconds(10)).ShouldBeFalse();
}
