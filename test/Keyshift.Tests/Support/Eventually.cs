namespace Keyshift.Tests.Support;

/// <summary>
/// Waits for a condition a real server reaches on its own schedule (a connection listed, a statistics event),
/// polling it until it holds or the time is up — the condition, never a fixed sleep, decides.
/// </summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var ct = TestContext.Current.CancellationToken;
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(seconds);
        while (!await condition())
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
                throw new TimeoutException($"gave up after {seconds} s waiting until {what}");
            await Task.Delay(100, ct);
        }
    }
}
