using System.Text;
using Keyshift.Gateway;
using Keyshift.Gateway.Http1;

namespace Keyshift.Tests.Gateway;

/// <summary>Shadow requests pipelined to the new endpoint over a raw socket server: each gets its own answer, in order.</summary>
public sealed class PipelinedMirrorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static UpstreamRequest Get(string path) => new("GET", path, [KeyValuePair.Create("X-Trace", new[] { path })], null);

    /// <summary>Answers with the request's own path as body, so a mix-up of answers shows.</summary>
    private static async Task<bool> Echo(RawMessage request, Stream stream, string extraHeader = "")
    {
        var path = request.StartLine.Split(' ')[1];
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n{extraHeader}Content-Length: {path.Length}\r\n\r\n{path}"));
        return extraHeader.Length == 0;
    }

    [Fact]
    public async Task Pipelined_ManyAtOnce_EachGetsItsOwnAnswer_OnFewerConnections()
    {
        await using var upstream = new RawUpstream((request, _, stream) => Echo(request, stream));
        using var pool = new UpstreamPool(upstream.Url);

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => pool.SendPipelinedAsync(Get($"/v1/charges/ch_{i}"), "Bearer t", ["Content-Type"], Timeout)));

        for (var i = 0; i < answers.Length; i++)
        {
            answers[i].Status.ShouldBe(200);
            Encoding.ASCII.GetString(answers[i].Body!).ShouldBe($"/v1/charges/ch_{i}");
            answers[i].Headers["Content-Type"].ShouldBe("text/plain");
        }
        upstream.Received.Count.ShouldBe(100);
        upstream.Received.ShouldAllBe(r => r.Get("Authorization") == "Bearer t" && r.Get("Host") == upstream.Url.Authority);
        upstream.Connections.ShouldBeLessThan(100);
    }

    [Fact]
    public async Task Pipelined_UpstreamClosesAfterOneAnswer_TheUnansweredAreSentAgain()
    {
        // Every connection answers one request, says close and closes: the rest of each batch was never answered.
        await using var upstream = new RawUpstream((request, _, stream) => Echo(request, stream, "Connection: close\r\n"));
        using var pool = new UpstreamPool(upstream.Url);

        var sends = Enumerable.Range(0, 3).Select(i => pool.SendPipelinedAsync(Get($"/r{i}"), null, [], Timeout)).ToList();
        var results = await Task.WhenAll(sends.Select(async s =>
        {
            try
            {
                return Encoding.ASCII.GetString((await s).Body!);
            }
            catch (HttpRequestException)
            {
                return "failed";
            }
        }));

        // Each request is answered or, after its second try, fails cleanly; none gets another's answer.
        for (var i = 0; i < results.Length; i++)
            results[i].ShouldBeOneOf($"/r{i}", "failed");
        results.Count(r => r != "failed").ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task Pipelined_UpstreamDown_FailsWithHttpRequestException()
    {
        var port = System.Net.Sockets.TcpListener.Create(0);
        port.Start();
        var url = new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)port.LocalEndpoint).Port}/");
        port.Stop();
        using var pool = new UpstreamPool(url);

        await Should.ThrowAsync<HttpRequestException>(() => pool.SendPipelinedAsync(Get("/x"), null, [], Timeout));
    }
}
