using Keyshift.Issuers;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Keyshift.Probes;

/// <summary>Opens a real AMQP connection and channel with the credential (RabbitMQ.Client). Authentication failure or ACCESS_REFUSED means refused.</summary>
public sealed class RabbitMqProbe(string name, string host, int port, string virtualHost, bool tls, TimeSpan timeout) : Probe(name)
{
    public override string Type => "rabbitmq";

    public static Probe Create(ProbeContext context)
    {
        var s = context.Settings;
        s.AllowOnly("type", "host", "port", "vhost", "tls", "timeout", "expect");
        return new RabbitMqProbe(context.Name, context.Host("127.0.0.1"), context.Port(5672), s.String("vhost") ?? context.Issuer?.Endpoint?.VirtualHost ?? "/", s.Bool("tls") ?? false, context.Timeout);
    }

    protected override async ValueTask<(ProbeOutcome, string)> CheckAsync(Credential credential, CancellationToken cancellationToken)
    {
        var user = Require(credential, Credential.Username);
        var where = $"amqp://{host}:{port}/{Uri.EscapeDataString(virtualHost)} as '{user}'";
        var factory = new ConnectionFactory
        {
            HostName = host, Port = port, VirtualHost = virtualHost, UserName = user, Password = Require(credential, Credential.Password),
            RequestedConnectionTimeout = timeout, AutomaticRecoveryEnabled = false, ClientProvidedName = "keyshift-probe",
            Ssl = new SslOption { Enabled = tls, ServerName = host },
        };
        try
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await connection.CloseAsync(cancellationToken);
            return (ProbeOutcome.Succeeded, $"connected to {where}");
        }
        catch (Exception e) when (Find<AuthenticationFailureException>(e) is { } auth)
        {
            return (ProbeOutcome.Refused, $"{where}: refused by the server ({auth.Message})");
        }
        catch (Exception e) when (Find<OperationInterruptedException>(e) is { ShutdownReason.ReplyCode: 403 } denied)
        {
            return (ProbeOutcome.Refused, $"{where}: access refused ({denied.ShutdownReason?.ReplyText})");
        }
        catch (Exception e) when (e is BrokerUnreachableException or IOException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return (ProbeOutcome.Unreachable, $"{where}: cannot reach the server ({e.GetBaseException().Message})");
        }
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
                return found;
        }
        return null;
    }
}
