namespace Keyshift.Telemetry;

/// <summary>
/// Runs telemetry sources in a loop (what <c>keyshift watch</c> and <c>serve</c> run): every interval, each
/// source collects from its last cursor and the batch goes to <c>record</c>, which persists it (observations,
/// coverage and cursor) before the next round. A failing source is reported to <c>failed</c> and tried again
/// next round; its missing coverage is what keeps the quiet-window gate closed.
/// </summary>
public sealed class Sampler(IReadOnlyList<TelemetrySource> sources, TimeSpan interval, TimeProvider time)
{
    public TimeSpan Interval { get; } = interval;

    /// <summary>One round over every source. Cursors come from <paramref name="cursorOf"/> (the engine's last persisted ones).</summary>
    public async ValueTask<IReadOnlyList<TelemetryBatch>> SampleOnceAsync(
        Func<TelemetrySource, string?> cursorOf,
        Action<TelemetrySource, TelemetryException>? failed,
        CancellationToken cancellationToken)
    {
        var batches = new List<TelemetryBatch>(sources.Count);
        foreach (var source in sources)
        {
            try
            {
                batches.Add(await source.CollectAsync(cursorOf(source), cancellationToken));
            }
            catch (TelemetryException e)
            {
                failed?.Invoke(source, e);
            }
        }
        return batches;
    }

    /// <summary>Samples until cancelled. Cursors are carried from round to round in memory and seeded from <paramref name="initialCursors"/>.</summary>
    public async Task RunAsync(
        IReadOnlyDictionary<string, string?> initialCursors,
        Func<TelemetryBatch, CancellationToken, ValueTask> record,
        Action<TelemetrySource, TelemetryException>? failed,
        CancellationToken cancellationToken)
    {
        var cursors = new Dictionary<string, string?>(initialCursors, StringComparer.Ordinal);
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            var batches = await SampleOnceAsync(s => cursors.GetValueOrDefault(s.Name), failed, cancellationToken);
            foreach (var batch in batches)
            {
                await record(batch, cancellationToken);
                cursors[batch.Source] = batch.Cursor;
            }
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    private static async ValueTask<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
