using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Keyshift.Configuration;
using Keyshift.Issuers;

namespace Keyshift.Probes;

/// <summary>
/// A TLS handshake: the server's chain (system roots, or <c>caFile</c>), host name and remaining validity
/// (<c>minValidity</c>), and — when the credential holds <c>certificate</c> and <c>privateKey</c> — mutual TLS with
/// that client certificate. A server that rejects the client certificate (in the handshake, or with TLS 1.3 by
/// closing right after it) means refused; a bad server certificate means failed.
/// </summary>
public sealed class TlsProbe(string name, string host, int port, string serverName, string? caFile, TimeSpan minValidity, TimeSpan timeout, TimeProvider time) : Probe(name)
{
    public override string Type => "tls";

    public static Probe Create(ProbeContext context)
    {
        var s = context.Settings;
        s.AllowOnly("type", "host", "port", "serverName", "caFile", "minValidity", "timeout", "expect");
        var host = context.Host();
        string? caFile = null;
        if (s.String("caFile") is { } ca)
        {
            caFile = context.Workspace.Resolve(ca);
            if (caFile is null)
                s.Error("caFile", $"'{ca}' leaves the workspace; write an absolute path to mean it");
        }
        return new TlsProbe(context.Name, host, context.Port(443), s.String("serverName") ?? host, caFile, s.Duration("minValidity") ?? TimeSpan.Zero, context.Timeout, context.Time);
    }

    protected override async ValueTask<(ProbeOutcome, string)> CheckAsync(Credential credential, CancellationToken cancellationToken)
    {
        var where = $"{host}:{port} ({serverName})";
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(host, port, limit.Token);
        }
        catch (SocketException e)
        {
            return (ProbeOutcome.Unreachable, $"{where}: cannot reach the server ({e.Message})");
        }
        string? serverProblem = null;
        X509Certificate2? serverCertificate = null;
        var client = ClientCertificate(credential);
        using var leaf = client?.Leaf;
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, certificate, chain, errors) =>
        {
            serverCertificate = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            serverProblem = CheckServer(serverCertificate, chain, errors);
            return serverProblem is null;
        });
        var options = new SslClientAuthenticationOptions { TargetHost = serverName };
        if (client is not null)
            options.ClientCertificateContext = SslStreamCertificateContext.Create(client.Value.Leaf, client.Value.Chain, offline: true);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, limit.Token);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            if (serverProblem is not null)
                return (ProbeOutcome.Failed, $"{where}: {serverProblem}");
            return client is not null
                ? (ProbeOutcome.Refused, $"{where}: the server rejected the client certificate ({e.GetBaseException().Message})")
                : (ProbeOutcome.Failed, $"{where}: TLS handshake failed ({e.GetBaseException().Message})");
        }
        using (serverCertificate)
        {
            if (serverCertificate is not null && serverCertificate.NotAfter.ToUniversalTime() - time.GetUtcNow() < minValidity)
                return (ProbeOutcome.Failed, $"{where}: the server certificate expires at {serverCertificate.NotAfter.ToUniversalTime():u}, within minValidity {DurationText.Format(minValidity)}");
        }
        if (client is null)
            return (ProbeOutcome.Succeeded, $"TLS handshake with {where} ({ssl.SslProtocol})");
        // With TLS 1.3 the server judges the client certificate after the client's handshake ends: a rejected
        // certificate shows as an alert or a closed stream on the first read, an accepted one as data or silence.
        try
        {
            using var read = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            read.CancelAfter(TimeSpan.FromMilliseconds(Math.Min(2000, timeout.TotalMilliseconds)));
            var n = await ssl.ReadAsync(new byte[1], read.Token);
            return n > 0
                ? (ProbeOutcome.Succeeded, $"mutual TLS with {where} ({ssl.SslProtocol})")
                : (ProbeOutcome.Refused, $"{where}: the server closed the session after seeing the client certificate");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (ProbeOutcome.Succeeded, $"mutual TLS with {where} ({ssl.SslProtocol}); the server kept the session open");
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return (ProbeOutcome.Refused, $"{where}: the server rejected the client certificate ({e.GetBaseException().Message})");
        }
    }

    private string? CheckServer(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
            return "the server sent no certificate";
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return $"the server certificate does not name {serverName}";
        if (caFile is null)
            return errors == SslPolicyErrors.None ? null : $"the server certificate is not trusted ({errors})";
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.ImportFromPemFile(caFile);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements.Skip(1))
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        return custom.Build(certificate) ? null : $"the server certificate does not chain to {caFile} ({string.Join(", ", custom.ChainStatus.Select(s => s.Status))})";
    }

    private static (X509Certificate2 Leaf, X509Certificate2Collection Chain)? ClientCertificate(Credential credential)
    {
        if (credential.Field(Credential.Certificate) is not { } certificate || credential.Field(Credential.PrivateKey) is not { } key)
            return null;
        var pem = certificate.RevealUtf8();
        var leaf = X509Certificate2.CreateFromPem(pem, key.RevealUtf8());
        var all = new X509Certificate2Collection();
        all.ImportFromPem(pem);
        var chain = new X509Certificate2Collection();
        foreach (var c in all.Skip(1))
            chain.Add(c);
        return (leaf, chain);
    }
}
