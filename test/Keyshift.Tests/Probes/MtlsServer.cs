using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Keyshift.Issuers.X509;

namespace Keyshift.Tests.Probes;

/// <summary>
/// A tiny mutual-TLS server on 127.0.0.1 for tests: its own self-signed certificate for <c>localhost</c>, and client
/// certificates accepted only when they chain to the given client CA and are not listed in the CRL file.
/// An accepted client receives "OK\n".
/// </summary>
public sealed class MtlsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2 _certificate;
    private readonly Task _loop;

    public MtlsServer(X509Certificate2 clientCa, string? crlPath, string serverCertificatePemPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        _certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        File.WriteAllText(serverCertificatePemPath, created.ExportCertificatePem());
        _listener.Start();
        _loop = Task.Run(() => AcceptAsync(clientCa, crlPath));
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task AcceptAsync(X509Certificate2 clientCa, string? crlPath)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient tcp;
            try { tcp = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = Task.Run(async () =>
            {
                using (tcp)
                await using (var ssl = new SslStream(tcp.GetStream(), false, (_, cert, _, _) => Accept(cert, clientCa, crlPath)))
                {
                    try
                    {
                        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate, ClientCertificateRequired = true }, _stop.Token);
                        await ssl.WriteAsync("OK\n"u8.ToArray(), _stop.Token);
                        _ = await ssl.ReadAsync(new byte[1], _stop.Token);
                    }
                    catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
                    {
                    }
                }
            });
        }
    }

    private static bool Accept(X509Certificate? certificate, X509Certificate2 ca, string? crlPath)
    {
        if (certificate is null)
            return false;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(ca.RawData));
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(leaf))
            return false;
        return crlPath is null || !File.Exists(crlPath) || !X509Issuer.RevokedSerials(File.ReadAllText(crlPath)).Contains(leaf.SerialNumber);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _loop; } catch (OperationCanceledException) { }
        _certificate.Dispose();
        _stop.Dispose();
    }
}
