using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Keyshift.Tests.Gateway;

/// <summary>A raw TCP client of the gateway: writes exact bytes, reads exact answers.</summary>
public sealed class RawClient : IDisposable
{
    private readonly TcpClient _tcp = new();

    private RawClient()
    {
    }

    public NetworkStream Stream { get; private set; } = null!;

    public RawReader Reader { get; private set; } = null!;

    public static async Task<RawClient> ConnectAsync(Uri url, CancellationToken ct)
    {
        var client = new RawClient();
        await client._tcp.ConnectAsync(IPAddress.Loopback, url.Port, ct);
        client.Stream = client._tcp.GetStream();
        client.Reader = new RawReader(client.Stream);
        return client;
    }

    public async Task SendAsync(string text, CancellationToken ct) => await SendAsync(Encoding.Latin1.GetBytes(text), ct);

    public async Task SendAsync(byte[] bytes, CancellationToken ct) => await Stream.WriteAsync(bytes, ct);

    public async Task<RawMessage> ReadAsync(CancellationToken ct, string method = "GET") =>
        await Reader.ReadAsync(isResponse: true, method, ct) ?? throw new EndOfStreamException("the gateway closed the connection");

    /// <summary>The next final answer, skipping interim (1xx) ones.</summary>
    public async Task<RawMessage> ReadFinalAsync(CancellationToken ct)
    {
        while (true)
        {
            var answer = await ReadAsync(ct);
            if (answer.Status >= 200)
                return answer;
        }
    }

    public void Dispose() => _tcp.Dispose();
}
