using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Keyshift.Telemetry;

/// <summary>Open AMQP connections by user from the management API (<c>GET /api/connections</c>), sampled.</summary>
public sealed class RabbitMqConnectionsSource(string name, Func<CancellationToken, Task<HttpClient>> open, TimeProvider time) : TelemetrySource(name)
{
    public override bool IsSampled => true;

    public override async ValueTask<TelemetryBatch> CollectAsync(string? cursor, CancellationToken cancellationToken)
    {
        try
        {
            using var http = await open(cancellationToken);
            using var response = await http.GetAsync("api/connections?columns=user,peer_host,connected_at,vhost", cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new TelemetryException($"telemetry '{Name}': GET /api/connections answered {(int)response.StatusCode}");
            var connections = (await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken)) ?? [];
            var now = time.GetUtcNow();
            var observations = connections
                .Where(c => c?["user"] is not null)
                .GroupBy(c => (string)c!["user"]!, StringComparer.Ordinal)
                .Select(g => new Observation("rabbitmq-connections", g.Key, now, g.Count(),
                    $"peers={string.Join(',', g.Select(c => (string?)c!["peer_host"]).Distinct().Order(StringComparer.Ordinal))} since={Since(g.Min(c => (long?)c!["connected_at"]))}"))
                .ToList();
            return new TelemetryBatch(Name, observations, Coverage.At(now), null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Issuers.IssuerException)
        {
            throw new TelemetryException($"telemetry '{Name}': {e.Message}", e);
        }
    }

    private static string Since(long? unixMilliseconds) =>
        unixMilliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "?";
}
