using Keyshift.Apis.Contracts;
using Keyshift.Apis.Diff;
using static Keyshift.Tests.Apis.ApiDiffTester;

namespace Keyshift.Tests.Apis;

public sealed class RateLimitDiffTests
{
    private static string Op(string extension, string headers = "") =>
        Head30 + $"paths:\n  /a:\n    get:\n{extension}      responses:\n        '200':\n          description: ok\n{headers}";

    [Theory]
    [InlineData("      x-rate-limit: 100/minute\n", "      x-rate-limit: 20/minute\n")]
    [InlineData("      x-rate-limit: 100 per minute\n", "      x-rate-limit: 1000 per hour\n")]
    [InlineData("      x-rate-limit: {limit: 100, window: 1m}\n", "      x-rate-limit: {limit: 100, window: 2m}\n")]
    [InlineData("      x-ratelimit-limit: 100\n", "      x-ratelimit-limit: 50\n")]
    [InlineData("      x-ratelimit-limit: 100\n      x-ratelimit-window: 60\n", "      x-ratelimit-limit: 100\n      x-ratelimit-window: 3600\n")]
    public void Lowered_IsBreaking(string old, string @new)
    {
        var change = Diff(Op(old), Op(@new)).Single(ApiChecks.RateLimitLowered);
        change.ShouldBeAt(Severity.Breaking, 6, 6);
        change.Operations.ShouldBe(["GET /a"]);
    }

    [Fact]
    public void Raised_IsInfo_Added_IsWarning_Removed_IsInfo()
    {
        Diff(Op("      x-rate-limit: 10/second\n"), Op("      x-rate-limit: 20/second\n")).Single(ApiChecks.RateLimitRaised).Severity.ShouldBe(Severity.Info);
        Diff(Op(""), Op("      x-rate-limit: 10/second\n")).Single(ApiChecks.RateLimitAdded).ShouldBeAt(Severity.Warning, 5, 6);
        Diff(Op("      x-rate-limit: 10/second\n"), Op("")).Single(ApiChecks.RateLimitRemoved).ShouldBeAt(Severity.Info, 6, 5);
    }

    [Fact]
    public void TopLevelLimit_IsOneChangeForEveryOperation()
    {
        const string old = Head30 + "x-rate-limit: 100/minute\npaths:\n  /a: {get: {responses: {'200': {description: ok}}}}\n  /b: {get: {responses: {'200': {description: ok}}}}\n";
        var change = Diff(old, old.Replace("100/minute", "10/minute", StringComparison.Ordinal)).Single(ApiChecks.RateLimitLowered);
        change.Operations.ShouldBe(["GET /a", "GET /b"]);
        change.Message.ShouldContain("from 100 per minute to 10 per minute");
    }

    [Fact]
    public void Headers_RemovedIsWarning_AddedIsInfo()
    {
        const string headers = "          headers:\n            X-RateLimit-Remaining: {schema: {type: integer}}\n            Retry-After: {schema: {type: integer}}\n";
        var changes = Diff(Op("", headers), Op(""));
        changes.Where(c => c.Check == ApiChecks.RateLimitHeaderRemoved).Select(c => c.Old!.Line).ShouldBe([10, 11], ignoreOrder: true);
        changes.ShouldAllBe(c => c.Severity == Severity.Warning);
        Diff(Op(""), Op("", headers)).Count(c => c.Check == ApiChecks.RateLimitHeaderAdded).ShouldBe(2);
    }

    [Theory]
    [InlineData("100/minute", 100, 60)]
    [InlineData("1000 requests per hour", 1000, 3600)]
    [InlineData("5/s", 5, 1)]
    [InlineData("10 per 15m", 10, 900)]
    public void ParseRate_ReadsNumbersAndWindows(string text, double limit, double seconds)
    {
        var rate = RateLimitReader.ParseRate(text)!.Value;
        rate.Limit.ShouldBe(limit);
        rate.Window!.Value.TotalSeconds.ShouldBe(seconds);
    }
}
