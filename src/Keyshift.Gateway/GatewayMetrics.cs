using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Keyshift.Gateway;

/// <summary>Counters in Prometheus text format (served at <c>/metrics</c> on the admin port). Labels are names, never credentials.</summary>
internal sealed class GatewayMetrics
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox<double>> _sums = new(StringComparer.Ordinal);

    // Every request counts in two series; their boxes are found by tuple, without building series names each time.
    private readonly ConcurrentDictionary<(string Integration, string Consumer, string Target, int Code), StrongBox<long>> _requests = new();
    private readonly ConcurrentDictionary<(string Integration, string Target), (StrongBox<double> Sum, StrongBox<long> Count)> _timed = new();
    private readonly ConcurrentDictionary<(string Integration, string Consumer, string Result), StrongBox<long>> _comparisons = new();

    private static readonly (string Name, string Help)[] Families =
    [
        ("keyshift_gateway_requests_total", "Requests answered, by integration, consumer, side that answered and status code."),
        ("keyshift_gateway_request_seconds_sum", "Total upstream latency in seconds, by integration and side."),
        ("keyshift_gateway_request_seconds_count", "Requests timed, by integration and side."),
        ("keyshift_gateway_shadow_comparisons_total", "Shadow comparisons, by integration, consumer and result (same, different, error)."),
        ("keyshift_gateway_shadow_dropped_total", "Shadow requests dropped because the queue was full."),
        ("keyshift_gateway_noise_paths", "JSON paths learned as noise, by integration."),
        ("keyshift_gateway_token_requests_total", "OAuth2 token requests, by integration, consumer and result."),
        ("keyshift_gateway_rollbacks_total", "Automatic rollbacks of shift mode to legacy."),
    ];

    public void Increment(string name, params (string Label, string Value)[] labels) => Add(name, 1, labels);

    public void Add(string name, long value, params (string Label, string Value)[] labels) =>
        Interlocked.Add(ref _counters.GetOrAdd(Series(name, labels), _ => new StrongBox<long>()).Value, value);

    public void Set(string name, long value, params (string Label, string Value)[] labels) =>
        Interlocked.Exchange(ref _counters.GetOrAdd(Series(name, labels), _ => new StrongBox<long>()).Value, value);

    /// <summary>One answered request: <c>keyshift_gateway_requests_total</c> by integration, consumer, side and status code.</summary>
    public void CountRequest(string integration, string consumer, string target, int code)
    {
        var box = _requests.GetOrAdd((integration, consumer, target, code), static (key, counters) => counters.GetOrAdd(
            Series("keyshift_gateway_requests_total", [("integration", key.Integration), ("consumer", key.Consumer), ("target", key.Target),
                ("code", key.Code.ToString(CultureInfo.InvariantCulture))]), _ => new StrongBox<long>()), _counters);
        Interlocked.Increment(ref box.Value);
    }

    /// <summary>One shadow comparison: <c>keyshift_gateway_shadow_comparisons_total</c> by integration, consumer and result.</summary>
    public void CountComparison(string integration, string consumer, string result)
    {
        var box = _comparisons.GetOrAdd((integration, consumer, result), static (key, counters) => counters.GetOrAdd(
            Series("keyshift_gateway_shadow_comparisons_total", [("integration", key.Integration), ("consumer", key.Consumer), ("result", key.Result)]),
            _ => new StrongBox<long>()), _counters);
        Interlocked.Increment(ref box.Value);
    }

    public void Observe(string integration, string side, TimeSpan latency)
    {
        var (sum, count) = _timed.GetOrAdd((integration, side), static (key, metrics) =>
        {
            (string, string)[] labels = [("integration", key.Integration), ("target", key.Target)];
            return (metrics._sums.GetOrAdd(Series("keyshift_gateway_request_seconds_sum", labels), _ => new StrongBox<double>()),
                metrics._counters.GetOrAdd(Series("keyshift_gateway_request_seconds_count", labels), _ => new StrongBox<long>()));
        }, this);
        double before;
        do
            before = Volatile.Read(ref sum.Value);
        while (Interlocked.CompareExchange(ref sum.Value, before + latency.TotalSeconds, before) != before);
        Interlocked.Increment(ref count.Value);
    }

    public long Get(string name, params (string Label, string Value)[] labels) =>
        _counters.TryGetValue(Series(name, labels), out var box) ? Interlocked.Read(ref box.Value) : 0;

    public string Render()
    {
        var text = new StringBuilder();
        foreach (var (family, help) in Families)
        {
            text.Append("# HELP ").Append(family).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(family).Append(family.EndsWith("_paths", StringComparison.Ordinal) ? " gauge\n" : " counter\n");
            foreach (var (series, box) in _counters.Where(c => Family(c.Key) == family).OrderBy(c => c.Key, StringComparer.Ordinal))
                text.Append(series).Append(' ').Append(Interlocked.Read(ref box.Value).ToString(CultureInfo.InvariantCulture)).Append('\n');
            foreach (var (series, box) in _sums.Where(c => Family(c.Key) == family).OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                var value = Volatile.Read(ref box.Value);
                text.Append(series).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        return text.ToString();
    }

    private static string Family(string series) => series.IndexOf('{', StringComparison.Ordinal) is var i and >= 0 ? series[..i] : series;

    private static string Series(string name, (string Label, string Value)[] labels)
    {
        if (labels.Length == 0)
            return name;
        var text = new StringBuilder(name).Append('{');
        for (var i = 0; i < labels.Length; i++)
        {
            if (i > 0)
                text.Append(',');
            text.Append(labels[i].Label).Append("=\"")
                .Append(labels[i].Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal))
                .Append('"');
        }
        return text.Append('}').ToString();
    }
}
