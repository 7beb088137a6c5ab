using System.Net;
using Keyshift.Apis.Integrations;
using Keyshift.Secrets;
using Microsoft.AspNetCore.Connections;

namespace Keyshift.Gateway.Http1;

/// <summary>One client connection in the lane: its current request head and the buffers reused for every request on it.</summary>
internal sealed class LaneClient(ConnectionContext connection, string scheme)
{
    private readonly IPAddress? _address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
    private (string Host, string Forwarded, string ForwardedFor) _last = ("", "", "");
    private (string? From, (IntegrationRuntime? Integration, string Path) To) _routed;
    private (string? Method, string? Path, string Template) _endpoint = (null, null, "");
    private (IntegrationRuntime? Integration, string? Carried, IntegrationConsumer? Consumer, Fingerprint Fingerprint) _identified;

    public RequestHead Head { get; } = new();

    /// <summary>Since when the connection waits for a request head (Stopwatch ticks); 0 while a request is being served.</summary>
    public long IdleSince
    {
        get => Volatile.Read(ref _idleSince);
        set => Volatile.Write(ref _idleSince, value);
    }

    private long _idleSince;

    /// <summary>Closes the connection (its pending read ends) when it waited longer than <paramref name="keepAlive"/> ticks for a request.</summary>
    public void Expire(long now, long keepAlive)
    {
        var since = IdleSince;
        if (since != 0 && now - since > keepAlive)
            connection.Transport.Input.CancelPendingRead();
    }

    /// <summary>The head sent upstream.</summary>
    public HeadWriter Upstream { get; } = new();

    /// <summary>The head sent back to the client.</summary>
    public HeadWriter Response { get; } = new();

    /// <summary>The four forwarding headers of the current request for a detached copy (shadow): the same arrays while the values repeat.</summary>
    public KeyValuePair<string, string[]>[] ForwardingSnapshot(RequestHead head, string forwarded, string forwardedFor)
    {
        var last = _forwardingSnapshot;
        if (last is not null && ReferenceEquals(last[0].Value[0], forwarded) && ReferenceEquals(last[1].Value[0], forwardedFor) && ReferenceEquals(last[3].Value[0], head.Host))
            return last;
        return _forwardingSnapshot =
        [
            KeyValuePair.Create("Forwarded", new[] { forwarded }), KeyValuePair.Create("X-Forwarded-For", new[] { forwardedFor }),
            KeyValuePair.Create("X-Forwarded-Proto", new[] { scheme }), KeyValuePair.Create("X-Forwarded-Host", new[] { head.Host }),
        ];
    }

    private KeyValuePair<string, string[]>[]? _forwardingSnapshot;

    /// <summary>The <c>Forwarded</c> and <c>X-Forwarded-For</c> values for the current request (kept while the client sends the same host and none of its own).</summary>
    public (string Forwarded, string ForwardedFor) Forwarding(RequestHead head)
    {
        var existing = head.Get("Forwarded");
        var existingFor = head.Get("X-Forwarded-For");
        if (existing is null && existingFor is null && _last.Host == head.Host && _last.Forwarded.Length > 0)
            return (_last.Forwarded, _last.ForwardedFor);
        var values = Forwarder.Forwarding(_address, scheme, head.Host, existing ?? "", existingFor ?? "");
        if (existing is null && existingFor is null)
            _last = (head.Host, values.Forwarded, values.ForwardedFor);
        return values;
    }

    /// <summary>
    /// Who presented the credential carried in <paramref name="carried"/> (the carrier header's value). A client sends
    /// the same key on every request of its connection, so the last answer is kept: the comparison is with what this
    /// same client sent before, which tells it nothing it did not know.
    /// </summary>
    public (bool Presented, IntegrationConsumer? Consumer, Fingerprint Fingerprint) Identify(IntegrationRuntime integration, string? carried)
    {
        if (carried is null)
            return (false, null, default);
        if (ReferenceEquals(_identified.Integration, integration) && string.Equals(_identified.Carried, carried, StringComparison.Ordinal))
            return (true, _identified.Consumer, _identified.Fingerprint);
        if (LegacyCredential.Parse(integration.Config.Legacy.Auth, carried) is not { } presented)
            return (false, null, default);
        var (consumer, fingerprint) = integration.Consumers.Identify(presented);
        _identified = (integration, carried, consumer, fingerprint);
        return (true, consumer, fingerprint);
    }

    /// <summary>The integration and path the request's path routes to (the last answer kept while the client repeats its path).</summary>
    public (IntegrationRuntime? Integration, string Path) Route(GatewayProxy proxy, RequestHead head)
    {
        if (!ReferenceEquals(_routed.From, head.Path))
            _routed = (head.Path, proxy.Route(head.Path));
        return _routed.To;
    }

    /// <summary>The ledger's route template of the request (kept while the client repeats method and path).</summary>
    public string Endpoint(string method, string path)
    {
        if (!ReferenceEquals(_endpoint.Method, method) || !ReferenceEquals(_endpoint.Path, path))
            _endpoint = (method, path, RouteTemplate.Of(method, path));
        return _endpoint.Template;
    }

    /// <summary>The credential header value seen last, for <see cref="RequestHead.Get"/> to reuse.</summary>
    public string? LastCarried => _identified.Carried;

    public void Abort() => connection.Abort(new ConnectionAbortedException("the upstream broke off its answer"));
}
