using System.Net.Sockets;
using Keyshift.Issuers;
using Keyshift.Issuers.Redis;

namespace Keyshift.Probes;

/// <summary>Connects to Redis, <c>AUTH user password</c>, then <c>PING</c>. <c>WRONGPASS</c> means refused.</summary>
public sealed class RedisProbe(string name, string host, int port, bool tls, TimeSpan timeout) : Probe(name)
{
    public override string Type => "redis";

    public static Probe Create(ProbeContext context)
    {
        var s = context.Settings;
        s.AllowOnly("type", "host", "port", "tls", "timeout", "expect");
        var tls = s.Bool("tls") ?? context.Issuer?.Endpoint?.TlsMode == "tls";
        return new RedisProbe(context.Name, context.Host("127.0.0.1"), context.Port(6379), tls, context.Timeout);
    }

    protected override async ValueTask<(ProbeOutcome, string)> CheckAsync(Credential credential, CancellationToken cancellationToken)
    {
        var user = Require(credential, Credential.Username);
        var where = $"{host}:{port} as '{user}'";
        RespClient client;
        try
        {
            client = await RespClient.ConnectAsync(host, port, tls, timeout, cancellationToken);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or System.Security.Authentication.AuthenticationException)
        {
            return (ProbeOutcome.Unreachable, $"{where}: cannot reach the server ({e.Message})");
        }
        await using (client)
        {
            try
            {
                var error = await client.AuthAsync(user, credential.Field(Credential.Password)!, cancellationToken);
                if (error is not null)
                    return (ProbeOutcome.Refused, $"{where}: refused by the server ({error})");
                var pong = await client.SendAsync(cancellationToken, "PING");
                return pong.IsError ? (ProbeOutcome.Failed, $"{where}: PING failed: {pong.Text}") : (ProbeOutcome.Succeeded, $"authenticated to {where}");
            }
            catch (IOException e)
            {
                return (ProbeOutcome.Unreachable, $"{where}: connection lost ({e.Message})");
            }
        }
    }
}
