using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Keyshift.Gateway.Http1;

/// <summary>
/// Kept-alive HTTP/1.1 connections to one plain-HTTP upstream (scheme, host and port of an endpoint URL), most recently
/// used first. A connection idle for a while is checked before reuse; one that the upstream closed is replaced.
/// </summary>
internal sealed class UpstreamPool : IDisposable
{
    private const int MaxIdle = 512;

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private static readonly long CheckAfter = Stopwatch.Frequency; // one second idle

    private static readonly long DropAfter = Stopwatch.Frequency * 50; // fifty seconds idle (below common keep-alive timeouts)

    private readonly Stack<UpstreamConnection> _idle = new();
    private readonly EndPoint _endpoint;
    private bool _disposed;

    public UpstreamPool(Uri url)
    {
        if (url.Scheme != Uri.UriSchemeHttp)
            throw new ArgumentException("the lane reaches plain HTTP upstreams only", nameof(url));
        _endpoint = IPAddress.TryParse(url.IdnHost, out var address) ? new IPEndPoint(address, url.Port) : new DnsEndPoint(url.IdnHost, url.Port);
        Authority = url.IsDefaultPort ? url.IdnHost : url.IdnHost + ":" + url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (url.HostNameType == UriHostNameType.IPv6)
            Authority = url.Authority;
        PathPrefix = url.AbsolutePath.TrimEnd('/');
    }

    /// <summary>The <c>Host</c> the upstream is sent.</summary>
    public string Authority { get; }

    /// <summary>The endpoint URL's path (without a trailing slash), put before every forwarded path.</summary>
    public string PathPrefix { get; }

    /// <summary>An idle connection (<see cref="UpstreamConnection.Reused"/>) or a new one (within ten seconds, else <see cref="OperationCanceledException"/>).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<UpstreamConnection> RentAsync(bool mustBeFresh)
    {
        while (!mustBeFresh)
        {
            UpstreamConnection? idle;
            lock (_idle)
                idle = _idle.Count > 0 ? _idle.Pop() : null;
            if (idle is null)
                break;
            var quiet = Stopwatch.GetTimestamp() - idle.LastUsed;
            if (quiet > DropAfter || quiet > CheckAfter && !idle.LooksOpen())
            {
                idle.Dispose();
                continue;
            }
            idle.Reused = true;
            return idle;
        }
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        return await UpstreamConnection.ConnectAsync(_endpoint, timeout.Token);
    }

    /// <summary>Keeps the connection for the next request, or closes it when the pool is full or gone.</summary>
    public void Return(UpstreamConnection connection)
    {
        connection.LastUsed = Stopwatch.GetTimestamp();
        lock (_idle)
        {
            if (!_disposed && _idle.Count < MaxIdle)
            {
                _idle.Push(connection);
                return;
            }
        }
        connection.Dispose();
    }

    public void Dispose()
    {
        lock (_idle)
        {
            _disposed = true;
            while (_idle.Count > 0)
                _idle.Pop().Dispose();
        }
    }
}
