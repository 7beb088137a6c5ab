using System.Collections.Concurrent;

namespace Keyshift.Gateway;

/// <summary>
/// Noise learned per endpoint, the way Diffy does: a sample of safe requests is sent to legacy twice and the
/// JSON paths that differ between the two legacy answers (timestamps, request ids) are noise. Nothing is
/// noise by default.
/// </summary>
internal sealed class NoiseModel(int samples)
{
    private readonly ConcurrentDictionary<string, int> _sampled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _noise = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _done = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _learned = new(StringComparer.Ordinal);

    /// <summary>
    /// Completes when every sample of the endpoint has been replayed (or failed), so a comparison made after
    /// the samples were taken never reports noise that was about to be learned.
    /// </summary>
    public Task WhenLearnedAsync(string endpoint) => samples == 0 ? Task.CompletedTask : Learned(endpoint).Task;

    /// <summary>Marks one of the endpoint's samples as finished, learned or not.</summary>
    public void SampleDone(string endpoint)
    {
        if (_done.AddOrUpdate(endpoint, 1, (_, n) => n + 1) >= samples)
            Learned(endpoint).TrySetResult();
    }

    private TaskCompletionSource Learned(string endpoint) =>
        _learned.GetOrAdd(endpoint, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>True when this request should be replayed to legacy to learn noise (takes one of the endpoint's samples).</summary>
    public bool TakeSample(string endpoint)
    {
        // Once an endpoint's samples are all taken, nothing is counted any more (an update allocates).
        if (samples == 0 || _sampled.TryGetValue(endpoint, out var before) && before >= samples)
            return false;
        var taken = _sampled.AddOrUpdate(endpoint, 1, (_, n) => n + 1);
        return taken <= samples;
    }

    public void Learn(string endpoint, IEnumerable<string> paths)
    {
        var set = _noise.GetOrAdd(endpoint, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
        foreach (var path in paths)
            set.TryAdd(path, 0);
    }

    /// <summary>The differences left after removing noise: a noisy path and everything below it.</summary>
    public List<string> Filter(string endpoint, IEnumerable<string> differences)
    {
        if (!_noise.TryGetValue(endpoint, out var set) || set.IsEmpty)
            return differences.ToList();
        return differences.Where(d => !set.Keys.Any(n => d == n || d.StartsWith(n + ".", StringComparison.Ordinal) || d.StartsWith(n + "[", StringComparison.Ordinal))).ToList();
    }

    public int Count => _noise.Values.Sum(s => s.Count);

    public IReadOnlyCollection<string> For(string endpoint) =>
        _noise.TryGetValue(endpoint, out var set) ? set.Keys.Order(StringComparer.Ordinal).ToList() : [];
}
