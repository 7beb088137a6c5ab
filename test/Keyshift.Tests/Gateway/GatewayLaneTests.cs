using System.Net;
using System.Net.Sockets;
using System.Text;
using Keyshift.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Keyshift.Tests.Gateway;

/// <summary>
/// The gateway's HTTP/1.1 fast lane, spoken to over raw sockets: a raw client writes exact request bytes, and a raw
/// fake upstream answers with exact bytes, so framing, header hygiene and hand-offs to Kestrel are seen as they are.
/// </summary>
public sealed class GatewayLaneTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;
    private static readonly Uri Nowhere = new("http://127.0.0.1:9/");

    private const string Json = """{"id":"ch_1","amount":1200,"status":"paid"}""";

    private static string Get(GatewayHarness harness, string path, string key, string extra = "") =>
        $"GET {path} HTTP/1.1\r\nHost: {harness.Server.ProxyUrl.Authority}\r\nX-API-Key: {key}\r\n{extra}\r\n";

    private static string Ok(string body, string extra = "") =>
        $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n{extra}\r\n{body}";

    private static async Task<GatewayHarness> StartAsync(Uri legacy, string mode = "observe", Uri? @new = null, string extra = "", string gatewayExtra = "")
    {
        var harness = GatewayHarness.Create();
        await harness.StartAsync(legacy, @new ?? Nowhere, mode, extra, gatewayExtra: gatewayExtra);
        return harness;
    }

    private static RawUpstream Chunked() => new(async (request, _, s) =>
    {
        var answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "a;name=value\r\n" + Json[..10] + "\r\n"
            + $"{Json.Length - 20:x}\r\n" + Json[10..^10] + "\r\n"
            + "a\r\n" + Json[^10..] + "\r\n"
            + "0\r\nX-Checksum: abc\r\n\r\n";
        await s.WriteAsync(Encoding.Latin1.GetBytes(answer));
        return true;
    });

    [Fact]
    public async Task Lane_RelaysChunkedAnswerDecodedAndKeepsConnection()
    {
        await using var upstream = Chunked();
        await using var harness = await StartAsync(upstream.Url);
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        var (first, second) = await TwoGetsAsync(harness, client);

        first.Status.ShouldBe(200);
        first.Get("Transfer-Encoding").ShouldBe("chunked");
        first.Get("Content-Length").ShouldBeNull();
        first.BodyText.ShouldBe(Json);
        first.Get("Deprecation").ShouldBe("@1806451200");
        second.Status.ShouldBe(200);
        second.BodyText.ShouldBe(Json);
        upstream.Connections.ShouldBe(1);
    }

    [Fact]
    public async Task Lane_Shadow_ComparesDecodedChunkedBody_NoDifferenceForSameJson()
    {
        await using var legacy = Chunked();
        await using var @new = RawUpstream.Always(Ok(Json));
        await using var harness = await StartAsync(legacy.Url, "shadow", @new.Url, "    noiseSamples: 0");
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        await client.SendAsync(Get(harness, "/v1/charges/ch_1", harness.BillingKey), Ct);
        var answer = await client.ReadAsync(Ct);
        await harness.Server.DrainAsync();
        harness.Server.Flush();

        answer.BodyText.ShouldBe(Json);
        @new.Received.Single().Get("Authorization")!.ShouldStartWith("Bearer ");
        var shadow = await harness.Migration.Db.Usage.AsNoTracking().SingleAsync(u => u.Target == "shadow", Ct);
        shadow.Count.ShouldBe(1);
        shadow.Differences.ShouldBe(0);
    }

    [Fact]
    public async Task Lane_AnswerEndingAtClose_RelayedWholeWithConnectionClose()
    {
        var body = new string('x', 100_000);
        await using var upstream = new RawUpstream(async (_, _, s) =>
        {
            await s.WriteAsync(Encoding.Latin1.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + body));
            return false;
        });
        await using var harness = await StartAsync(upstream.Url);
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        await client.SendAsync(Get(harness, "/v1/charges/ch_1", harness.BillingKey), Ct);
        var answer = await client.ReadAsync(Ct);

        answer.Status.ShouldBe(200);
        answer.Get("Connection").ShouldBe("close");
        answer.BodyText.ShouldBe(body);
        (await client.Reader.ClosedAsync(Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task Lane_PostBody_ForwardedByteForByte()
    {
        await using var upstream = RawUpstream.Always("HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}");
        await using var harness = await StartAsync(upstream.Url);
        var body = new byte[200 * 1024];
        new Random(7).NextBytes(body);
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        await client.SendAsync($"POST /v1/charges HTTP/1.1\r\nHost: {harness.Server.ProxyUrl.Authority}\r\nX-API-Key: {harness.BillingKey}\r\n"
            + $"Content-Type: application/octet-stream\r\nContent-Length: {body.Length}\r\n\r\n", Ct);
        await client.SendAsync(body, Ct);
        var answer = await client.ReadAsync(Ct);

        answer.Status.ShouldBe(201);
        var seen = upstream.Received.Single();
        seen.StartLine.ShouldBe("POST /v1/charges HTTP/1.1");
        seen.Get("Content-Length").ShouldBe(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        seen.Body.ShouldBe(body);
    }

    [Fact]
    public async Task Lane_PipelinedRequests_AnsweredInOrder()
    {
        await using var upstream = new RawUpstream(async (request, _, s) =>
        {
            var id = request.StartLine.Split(' ')[1];
            await s.WriteAsync(Encoding.Latin1.GetBytes(Ok($"{{\"path\":\"{id}\"}}")));
            return true;
        });
        await using var harness = await StartAsync(upstream.Url);
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        await client.SendAsync(Get(harness, "/v1/charges/ch_1", harness.BillingKey) + Get(harness, "/v1/charges/ch_2", harness.LedgerKey), Ct);
        var first = await client.ReadAsync(Ct);
        var second = await client.ReadAsync(Ct);

        first.BodyText.ShouldBe("""{"path":"/v1/charges/ch_1"}""");
        second.BodyText.ShouldBe("""{"path":"/v1/charges/ch_2"}""");
    }

    public static TheoryData<string, string, int, string?> HandOffs => new()
    {
        { "chunked request body", "POST /v1/charges HTTP/1.1\r\nHost: {host}\r\nX-API-Key: {key}\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 201, "/v1/charges" },
        { "expect 100-continue", "POST /v1/charges HTTP/1.1\r\nHost: {host}\r\nX-API-Key: {key}\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}", 201, "/v1/charges" },
        { "HTTP/1.0", "GET /v1/charges/ch_1 HTTP/1.0\r\nHost: {host}\r\nX-API-Key: {key}\r\n\r\n", 200, "/v1/charges/ch_1" },
        { "encoded slash", "GET /v1/charges/ch%2F1 HTTP/1.1\r\nHost: {host}\r\nX-API-Key: {key}\r\n\r\n", 200, "/v1/charges/ch%2F1" },
        { "dot segments", "GET /v1/x/../charges/ch_1 HTTP/1.1\r\nHost: {host}\r\nX-API-Key: {key}\r\n\r\n", 200, "/v1/charges/ch_1" },
        { "two Host headers", "GET /v1/charges/ch_1 HTTP/1.1\r\nHost: {host}\r\nHost: {host}\r\nX-API-Key: {key}\r\n\r\n", 400, null },
        { "no Host header", "GET /v1/charges/ch_1 HTTP/1.1\r\nX-API-Key: {key}\r\n\r\n", 400, null },
        { "absolute-form target", "GET http://{host}/v1/charges/ch_1 HTTP/1.1\r\nHost: {host}\r\nX-API-Key: {key}\r\n\r\n", 200, "/v1/charges/ch_1" },
        { "two Content-Length headers", "POST /v1/charges HTTP/1.1\r\nHost: {host}\r\nX-API-Key: {key}\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400, null },
        { "Content-Length not a number", "POST /v1/charges HTTP/1.1\r\nHost: {host}\r\nX-API-Key: {key}\r\nContent-Length: 2x\r\n\r\n{}", 400, null },
        { "Content-Length and chunked", "POST /v1/charges HTTP/1.1\r\nHost: {host}\r\nX-API-Key: {key}\r\nContent-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 201, "/v1/charges" },
        { "folded header line", "GET /v1/charges/ch_1 HTTP/1.1\r\nHost: {host}\r\nX-API-Key: {key}\r\nX-A: a\r\n b\r\n\r\n", 400, null },
        { "space before colon", "GET /v1/charges/ch_1 HTTP/1.1\r\nHost: {host}\r\nX-API-Key : {key}\r\n\r\n", 400, null },
        { "bare LF line ends", "GET /v1/charges/ch_1 HTTP/1.1\nHost: {host}\nX-API-Key: {key}\n\n", 200, "/v1/charges/ch_1" },
        { "control character in a value", "GET /v1/charges/ch_1 HTTP/1.1\r\nHost: {host}\r\nX-API-Key: {key}\r\nX-A: a\u0001b\r\n\r\n", 200, "/v1/charges/ch_1" },
        { "space in target", "GET /v1/charges/ch 1 HTTP/1.1\r\nHost: {host}\r\nX-API-Key: {key}\r\n\r\n", 400, null },
        { "unknown version", "GET /v1/charges/ch_1 HTTP/1.2\r\nHost: {host}\r\nX-API-Key: {key}\r\n\r\n", 505, null },
        { "header block over 32 KB", "GET /v1/charges/ch_1 HTTP/1.1\r\nHost: {host}\r\nX-API-Key: {key}\r\nX-Big: " + new string('b', 33 * 1024) + "\r\n\r\n", 431, null },
    };

    [Theory]
    [MemberData(nameof(HandOffs))]
    public async Task HandOff_KestrelAnswersWhatTheFullPipelineAnswers(string what, string request, int status, string? upstreamPath)
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await harness.StartAsync(legacy.Url, Nowhere, "observe");
        string Bytes(Uri to) => request.Replace("{host}", to.Authority, StringComparison.Ordinal).Replace("{key}", harness.BillingKey, StringComparison.Ordinal);
        // Kestrel alone (the legacy API is a Kestrel server): what its parser makes of the same bytes.
        using (var direct = await RawClient.ConnectAsync(legacy.Url, Ct))
        {
            await direct.SendAsync(Bytes(legacy.Url), Ct);
            (await direct.ReadFinalAsync(Ct)).Status.ShouldBe(status, what + " (Kestrel alone)");
        }
        legacy.Received.Clear();
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        await client.SendAsync(Bytes(harness.Server.ProxyUrl), Ct);
        var answer = await client.ReadFinalAsync(Ct);

        answer.Status.ShouldBe(status, what);
        if (upstreamPath is null)
        {
            legacy.Received.ShouldBeEmpty(what);
            return;
        }
        legacy.Received.Single()[":path"].ShouldBe(upstreamPath, what);
        answer.Get("Deprecation").ShouldBe("@1806451200", what);
        answer.BodyText.ShouldContain("\"status\":\"paid\"", Case.Sensitive, what);
    }

    [Fact]
    public async Task HandOff_KeepAliveConnection_LaneRequestThenHandOffRequestBothAnswered()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await harness.StartAsync(legacy.Url, Nowhere, "observe");
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        await client.SendAsync(Get(harness, "/v1/charges/ch_1", harness.BillingKey), Ct);
        var first = await client.ReadAsync(Ct);
        await client.SendAsync($"POST /v1/charges HTTP/1.1\r\nHost: {harness.Server.ProxyUrl.Authority}\r\nX-API-Key: {harness.BillingKey}\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", Ct);
        var second = await client.ReadAsync(Ct);
        await client.SendAsync(Get(harness, "/v1/charges/ch_3", harness.BillingKey), Ct);
        var third = await client.ReadAsync(Ct);

        first.Status.ShouldBe(200);
        second.Status.ShouldBe(201);
        third.Status.ShouldBe(200);
        legacy.Received.Select(r => r[":path"]).ShouldBe(["/v1/charges/ch_1", "/v1/charges", "/v1/charges/ch_3"]);
    }

    [Fact]
    public async Task Lane_RequestHeaders_HopByHopDropped_HostAndForwardingSet()
    {
        await using var upstream = RawUpstream.Always(Ok(Json));
        await using var harness = await StartAsync(upstream.Url);
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        await client.SendAsync(Get(harness, "/v1/charges/ch_1?expand=items", harness.BillingKey,
            "Connection: keep-alive, x-private\r\nX-Private: hop\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic abc\r\n"
            + "Proxy-Connection: keep-alive\r\nX-Forwarded-For: 203.0.113.9\r\nForwarded: for=198.51.100.1\r\nX-Forwarded-Host: spoofed\r\nX-End-To-End: kept\r\n"), Ct);
        var answer = await client.ReadAsync(Ct);

        answer.Status.ShouldBe(200);
        var seen = upstream.Received.Single();
        seen.StartLine.ShouldBe("GET /v1/charges/ch_1?expand=items HTTP/1.1");
        foreach (var name in new[] { "Connection", "X-Private", "Keep-Alive", "TE", "Proxy-Authorization", "Proxy-Connection" })
            seen.All(name).ShouldBeEmpty(name);
        seen.All("Host").ShouldBe([upstream.Url.Authority]);
        seen.All("X-API-Key").ShouldBe([harness.BillingKey]);
        seen.All("X-End-To-End").ShouldBe(["kept"]);
        seen.All("X-Forwarded-For").ShouldBe(["203.0.113.9, 127.0.0.1"]);
        seen.All("X-Forwarded-Proto").ShouldBe(["http"]);
        seen.All("X-Forwarded-Host").ShouldBe([harness.Server.ProxyUrl.Authority]);
        seen.All("Forwarded").ShouldBe([$"for=198.51.100.1, for=127.0.0.1;proto=http;host=\"{harness.Server.ProxyUrl.Authority}\""]);
    }

    [Fact]
    public async Task Lane_ResponseHeaders_HopByHopDropped_DeprecationReplaced_DateAdded()
    {
        await using var upstream = RawUpstream.Always(Ok(Json,
            "Connection: keep-alive, x-hop\r\nX-Hop: private\r\nKeep-Alive: timeout=5\r\nDeprecation: @1\r\nSunset: Thu, 01 Jan 1970 00:00:00 GMT\r\nX-Upstream: kept\r\n"));
        await using var harness = await StartAsync(upstream.Url);
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        await client.SendAsync(Get(harness, "/v1/charges/ch_1", harness.BillingKey), Ct);
        var answer = await client.ReadAsync(Ct);

        answer.Status.ShouldBe(200);
        answer.BodyText.ShouldBe(Json);
        answer.All("X-Hop").ShouldBeEmpty();
        answer.All("Keep-Alive").ShouldBeEmpty();
        answer.All("Connection").ShouldNotContain(v => v.Contains("x-hop", StringComparison.OrdinalIgnoreCase));
        answer.All("Deprecation").ShouldBe(["@1806451200"]);
        answer.All("Sunset").ShouldBe(["Wed, 31 Mar 2027 00:00:00 GMT"]);
        answer.All("X-Upstream").ShouldBe(["kept"]);
        answer.All("Date").Count().ShouldBe(1);
        DateTimeOffset.TryParse(answer.Get("Date"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Lane_UpstreamRefusesConnection_BadGatewayWithJsonAndDeprecation_NoCanary()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var harness = await StartAsync(new Uri($"http://127.0.0.1:{port}/"));
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        var (first, second) = await TwoGetsAsync(harness, client);

        first.Status.ShouldBe(502);
        first.Get("Content-Type")!.ShouldStartWith("application/json");
        first.BodyText.ShouldBe("""{"error":"the upstream API could not be reached"}""");
        first.Get("Deprecation").ShouldBe("@1806451200");
        first.Get("Sunset").ShouldNotBeNull();
        second.Status.ShouldBe(502);
        Canary.FindIn(first.Head + first.BodyText, "error answer", [harness.BillingKey]).ShouldBeEmpty();
        Canary.FindIn(harness.Footprint(), "state, audit and logs", [harness.BillingKey]).ShouldBeEmpty();
    }

    [Fact]
    public async Task Lane_UpstreamNeverAnswers_GatewayTimeoutAfterConfiguredTimeout()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = new RawUpstream(async (_, _, _) =>
        {
            await release.Task;
            return false;
        });
        await using var harness = await StartAsync(upstream.Url, gatewayExtra: ", timeout: 1s");
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        await client.SendAsync(Get(harness, "/v1/charges/ch_1", harness.BillingKey), Ct);
        var answer = await client.ReadAsync(Ct);
        release.SetResult();

        answer.Status.ShouldBe(504);
        answer.BodyText.ShouldBe("""{"error":"the upstream API did not answer in time"}""");
        answer.Get("Deprecation").ShouldBe("@1806451200");
        Canary.FindIn(answer.Head + answer.BodyText, "error answer", [harness.BillingKey]).ShouldBeEmpty();
    }

    [Fact]
    public async Task Lane_UpstreamSendsGarbage_BadGateway()
    {
        await using var upstream = new RawUpstream(async (_, _, s) =>
        {
            await s.WriteAsync("SSH-2.0-OpenSSH_9.6\r\nnot http at all\r\n\r\n"u8.ToArray());
            return false;
        });
        await using var harness = await StartAsync(upstream.Url);
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        await client.SendAsync(Get(harness, "/v1/charges/ch_1", harness.BillingKey), Ct);
        var answer = await client.ReadAsync(Ct);

        answer.Status.ShouldBe(502);
        answer.BodyText.ShouldContain("could not be reached");
    }

    [Fact]
    public async Task Lane_UpstreamClosedIdleConnection_NextGetRetriedOnFreshConnection()
    {
        // The first connection answers once and then closes, as an upstream whose idle timeout ran out.
        await using var upstream = new RawUpstream(async (_, number, s) =>
        {
            await s.WriteAsync(Encoding.Latin1.GetBytes(Ok($"{{\"connection\":{number}}}")));
            return number > 1;
        });
        await using var harness = await StartAsync(upstream.Url);
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        await client.SendAsync(Get(harness, "/v1/charges/ch_1", harness.BillingKey), Ct);
        var first = await client.ReadAsync(Ct);
        await Eventually.HoldsAsync(() => Task.FromResult(upstream.Received.Count == 1 && upstream.Connections == 1), "the upstream answered once");
        await client.SendAsync(Get(harness, "/v1/charges/ch_2", harness.BillingKey), Ct);
        var second = await client.ReadAsync(Ct);

        first.BodyText.ShouldBe("""{"connection":1}""");
        second.Status.ShouldBe(200);
        second.BodyText.ShouldBe("""{"connection":2}""");
        upstream.Connections.ShouldBe(2);
    }

    [Fact]
    public async Task Lane_UpstreamBreaksOffMidBody_ClientAborted_OthersStillServed()
    {
        await using var upstream = new RawUpstream(async (request, _, s) =>
        {
            if (request.StartLine.Contains("broken", StringComparison.Ordinal))
            {
                await s.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"partial\":"u8.ToArray());
                return false;
            }
            await s.WriteAsync(Encoding.Latin1.GetBytes(Ok(Json)));
            return true;
        });
        await using var harness = await StartAsync(upstream.Url);
        using var broken = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);
        using var other = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        await broken.SendAsync(Get(harness, "/v1/charges/broken", harness.BillingKey), Ct);
        var thrown = await Should.ThrowAsync<Exception>(() => broken.ReadAsync(Ct));
        await other.SendAsync(Get(harness, "/v1/charges/ch_1", harness.BillingKey), Ct);
        var answer = await other.ReadAsync(Ct);

        thrown.ShouldBeAssignableTo<IOException>();
        answer.Status.ShouldBe(200);
        answer.BodyText.ShouldBe(Json);
    }

    [Fact]
    public async Task Lane_ChunkedAnswerTrickledByteByByte_RelayedWhole()
    {
        var body = string.Concat(Enumerable.Range(0, 300).Select(i => $"{{\"n\":{i}}}"));
        var wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + string.Concat(body.Chunk(97).Select(c => $"{c.Length:X};ext=\"a;b\"\r\n{new string(c)}\r\n")) + "0\r\nX-Trailer: t\r\n\r\n";
        await using var upstream = new RawUpstream(async (_, _, s) =>
        {
            foreach (var b in Encoding.Latin1.GetBytes(wire))
            {
                await s.WriteAsync(new[] { b });
                await s.FlushAsync();
            }
            return true;
        });
        await using var harness = await StartAsync(upstream.Url);
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        var (first, second) = await TwoGetsAsync(harness, client);

        first.BodyText.ShouldBe(body);
        second.BodyText.ShouldBe(body);
    }

    [Fact]
    public async Task Lane_HeadAnd304Answers_NoBodyAwaited_ConnectionKept()
    {
        await using var upstream = new RawUpstream(async (request, _, s) =>
        {
            var answer = request.StartLine.StartsWith("HEAD", StringComparison.Ordinal)
                ? "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 44\r\n\r\n"
                : "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n";
            await s.WriteAsync(Encoding.Latin1.GetBytes(answer));
            return true;
        });
        await using var harness = await StartAsync(upstream.Url);
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        await client.SendAsync(Get(harness, "/v1/charges/ch_1", harness.BillingKey).Replace("GET ", "HEAD ", StringComparison.Ordinal), Ct);
        var head = await client.ReadAsync(Ct, "HEAD");
        await client.SendAsync(Get(harness, "/v1/charges/ch_1", harness.BillingKey, "If-None-Match: \"v1\"\r\n"), Ct);
        var notModified = await client.ReadAsync(Ct);

        head.Status.ShouldBe(200);
        head.Get("Content-Length").ShouldBe("44");
        notModified.Status.ShouldBe(304);
        notModified.Get("ETag").ShouldBe("\"v1\"");
        upstream.Received.Select(r => r.StartLine.Split(' ')[0]).ShouldBe(["HEAD", "GET"]);
    }

    [Fact]
    public async Task Lane_UpstreamInterimContinueAndConnectionClose_ClientGetsFinalAnswerAndKeepsConnection()
    {
        await using var upstream = new RawUpstream(async (_, _, s) =>
        {
            await s.WriteAsync(Encoding.Latin1.GetBytes("HTTP/1.1 100 Continue\r\n\r\n" + Ok(Json, "Connection: close\r\n")));
            return false;
        });
        await using var harness = await StartAsync(upstream.Url);
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        var (first, second) = await TwoGetsAsync(harness, client);

        first.Status.ShouldBe(200);
        first.BodyText.ShouldBe(Json);
        first.All("Connection").ShouldBeEmpty();
        second.Status.ShouldBe(200);
        upstream.Connections.ShouldBe(2);
    }

    [Fact]
    public async Task Lane_ClientSendsConnectionClose_AnswerSaysCloseAndConnectionEnds()
    {
        await using var upstream = RawUpstream.Always(Ok(Json));
        await using var harness = await StartAsync(upstream.Url);
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        await client.SendAsync(Get(harness, "/v1/charges/ch_1", harness.BillingKey, "Connection: close\r\n"), Ct);
        var answer = await client.ReadAsync(Ct);

        answer.BodyText.ShouldBe(Json);
        answer.Get("Connection").ShouldBe("close");
        (await client.Reader.ClosedAsync(Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task Lane_PipelinedPostAndGetInOneWrite_BodyNotMistakenForNextRequest()
    {
        await using var upstream = new RawUpstream(async (request, _, s) =>
        {
            await s.WriteAsync(Encoding.Latin1.GetBytes(Ok($"{{\"line\":\"{request.StartLine}\",\"body\":{request.Body.Length}}}")));
            return true;
        });
        await using var harness = await StartAsync(upstream.Url);
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);
        const string Body = "GET /v1/charges/smuggled HTTP/1.1\r\n\r\n";

        await client.SendAsync($"POST /v1/charges HTTP/1.1\r\nHost: {harness.Server.ProxyUrl.Authority}\r\nX-API-Key: {harness.BillingKey}\r\n"
            + $"Content-Length: {Body.Length}\r\n\r\n{Body}" + Get(harness, "/v1/charges/ch_2", harness.BillingKey), Ct);
        var first = await client.ReadAsync(Ct);
        var second = await client.ReadAsync(Ct);

        first.BodyText.ShouldBe($"{{\"line\":\"POST /v1/charges HTTP/1.1\",\"body\":{Body.Length}}}");
        second.BodyText.ShouldBe("""{"line":"GET /v1/charges/ch_2 HTTP/1.1","body":0}""");
        upstream.Received.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Lane_CountsRequestsInMetricsAndLedgerLikeTheFullPipeline()
    {
        await using var harness = GatewayHarness.Create();
        await using var legacy = await LegacyApi.StartAsync(harness.LegacyKeys);
        await harness.StartAsync(legacy.Url, Nowhere, "observe");
        var unknownKey = Canary.New("unknown-key");
        using var client = await RawClient.ConnectAsync(harness.Server.ProxyUrl, Ct);

        foreach (var (path, key) in new[] { ("ch_3NfZ8101", harness.BillingKey), ("ch_3NfZ8102", harness.BillingKey), ("ch_3NfZ8103", harness.LedgerKey), ("ch_3NfZ8104", unknownKey) })
        {
            await client.SendAsync(Get(harness, "/v1/charges/" + path, key), Ct);
            await client.ReadAsync(Ct);
        }
        var metrics = await harness.Client.GetStringAsync(new Uri(harness.Server.AdminUrl, "metrics"), Ct);
        harness.Server.Flush();

        metrics.ShouldContain("keyshift_gateway_requests_total{integration=\"partner-payments\",consumer=\"billing-worker\",target=\"legacy\",code=\"200\"} 2");
        metrics.ShouldContain("keyshift_gateway_requests_total{integration=\"partner-payments\",consumer=\"ledger-sync\",target=\"legacy\",code=\"200\"} 1");
        metrics.ShouldContain("keyshift_gateway_requests_total{integration=\"partner-payments\",consumer=\"unknown\",target=\"legacy\",code=\"401\"} 1");
        var rows = await harness.Migration.Db.Usage.AsNoTracking().OrderBy(u => u.Consumer).ToListAsync(Ct);
        rows.Select(r => (r.Consumer, r.Endpoint, r.AuthScheme, r.Target, r.Count, r.StatusCodes)).ShouldBe(
        [
            ("billing-worker", "GET /v1/charges/{id}", "api-key", "legacy", 2L, "200=2"),
            ("ledger-sync", "GET /v1/charges/{id}", "api-key", "legacy", 1L, "200=1"),
            ("unknown", "GET /v1/charges/{id}", "api-key", "legacy", 1L, "401=1"),
        ]);
        Canary.FindIn(harness.Footprint() + metrics, "state, audit, logs and metrics", [harness.BillingKey, harness.LedgerKey, unknownKey]).ShouldBeEmpty();
    }

    /// <summary>Two GETs one after the other on the same client connection, and their answers.</summary>
    private static async Task<(RawMessage First, RawMessage Second)> TwoGetsAsync(GatewayHarness harness, RawClient client)
    {
        await client.SendAsync(Get(harness, "/v1/charges/ch_1", harness.BillingKey), Ct);
        var first = await client.ReadAsync(Ct);
        await client.SendAsync(Get(harness, "/v1/charges/ch_2", harness.BillingKey), Ct);
        return (first, await client.ReadAsync(Ct));
    }
}
