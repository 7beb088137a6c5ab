using System.Buffers;
using System.Text;
using Keyshift.Gateway;
using Keyshift.Gateway.Http1;

namespace Keyshift.Tests.Gateway;

/// <summary>The fast lane's parsers: strict on requests (anything unusual goes to Kestrel), exact on answers and chunks.</summary>
public sealed class LaneParserTests
{
    private static HeadStatus Parse(string head, out RequestHead parsed)
    {
        parsed = new RequestHead();
        return parsed.TryParse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(head)));
    }

    [Fact]
    public void RequestHead_PlainRequest_IsReadWithPathQueryHostAndLength()
    {
        Parse("POST /v1/charges?expand=x HTTP/1.1\r\nHost: api.local:8080\r\nX-API-Key:  k1 \r\nContent-Length: 12\r\n\r\n{\"a\":1}", out var head)
            .ShouldBe(HeadStatus.Complete);

        head.Method.ShouldBe("POST");
        head.Path.ShouldBe("/v1/charges");
        head.Query.ShouldBe("?expand=x");
        head.Host.ShouldBe("api.local:8080");
        head.ContentLength.ShouldBe(12);
        head.KeepAlive.ShouldBeTrue();
        head.Get("x-api-key").ShouldBe("k1");
        head.Length.ShouldBe(head.Bytes.IndexOf("\r\n\r\n"u8) + 4);
    }

    [Fact]
    public void RequestHead_WithoutItsEmptyLine_IsIncomplete()
    {
        Parse("GET / HTTP/1.1\r\nHost: a\r\n", out _).ShouldBe(HeadStatus.Incomplete);
    }

    [Theory]
    [InlineData("GET / HTTP/1.0\r\nHost: a\r\n\r\n")] // HTTP/1.0 keep-alive rules are Kestrel's
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")] // the HTTP/2 preface
    [InlineData("GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n")] // absolute form
    [InlineData("GET /a/%2F/b HTTP/1.1\r\nHost: a\r\n\r\n")] // escapes are decoded by Kestrel
    [InlineData("GET /a/../b HTTP/1.1\r\nHost: a\r\n\r\n")] // dot segments are normalised by Kestrel
    [InlineData("GET /a//b HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\n\r\n")] // no Host
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")] // two Hosts
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 30000001\r\n\r\n")] // over Kestrel's body limit: its 413
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n folded\r\n\r\n")] // obs-fold
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX A: 1\r\n\r\n")] // not a token
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A : 1\r\n\r\n")] // space before the colon
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: caf\u00e9\r\n\r\n")] // not ASCII
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u0001b\r\n\r\n")] // a control character
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\nX-B: b\r\n\r\n")] // a bare line feed
    [InlineData("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n")]
    public void RequestHead_AnythingUnusual_IsLeftToKestrel(string head)
    {
        Parse(head, out _).ShouldBe(HeadStatus.Unsupported);
    }

    [Fact]
    public void RequestHead_OverThirtyTwoKilobytes_IsLeftToKestrel()
    {
        Parse("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + new string('x', RequestHead.MaxLength) + "\r\n\r\n", out _).ShouldBe(HeadStatus.Unsupported);
        Parse("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + new string('x', RequestHead.MaxLength), out _).ShouldBe(HeadStatus.Unsupported);
    }

    [Fact]
    public void RequestHead_ConnectionHeader_NamesHopByHopHeadersAndClose()
    {
        Parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: close, X-Private\r\nX-Private: 1\r\n\r\n", out var head).ShouldBe(HeadStatus.Complete);

        head.KeepAlive.ShouldBeFalse();
        head.ConnectionNamed!.ShouldContain("x-private");
        Headers.IsHopByHop("X-PRIVATE"u8, head.ConnectionNamed).ShouldBeTrue();
        Headers.IsHopByHop("Proxy-Authorization"u8, null).ShouldBeTrue();
        Headers.IsHopByHop("X-Other"u8, head.ConnectionNamed).ShouldBeFalse();
    }

    [Fact]
    public void RequestHead_SpreadOverSegments_IsReadTheSame()
    {
        var bytes = Encoding.ASCII.GetBytes("GET /v1/x HTTP/1.1\r\nHost: a\r\nX-API-Key: k\r\n\r\n");
        var first = new Segment(bytes.AsMemory(0, 10));
        var last = first.Append(bytes.AsMemory(10));
        var head = new RequestHead();

        head.TryParse(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length)).ShouldBe(HeadStatus.Complete);

        head.Path.ShouldBe("/v1/x");
        head.Get("X-API-Key").ShouldBe("k");
    }

    [Fact]
    public void ResponseHead_ChunkedWinsOverContentLength_AndCloseIsSeen()
    {
        var data = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\nrest");
        var head = new ResponseHead();

        head.TryParse(data, 0, data.Length).ShouldBe(HeadStatus.Complete);

        head.Status.ShouldBe(200);
        head.Chunked.ShouldBeTrue();
        head.ContentLength.ShouldBe(-1);
        head.Close.ShouldBeTrue();
        Encoding.ASCII.GetString(head.StatusText).ShouldBe("200 OK");
        head.Length.ShouldBe(data.Length - 4);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")] // two lengths
    [InlineData("HTTP/2 200\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n")]
    [InlineData("ICY 200 OK\r\n\r\n")]
    public void ResponseHead_NotPlainHttp1_IsRefused(string text)
    {
        var data = Encoding.ASCII.GetBytes(text);
        new ResponseHead().TryParse(data, 0, data.Length).ShouldBe(HeadStatus.Unsupported);
    }

    [Fact]
    public void ResponseHead_BodyFraming_FollowsMethodAndStatus()
    {
        var data = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nDate: x\r\n\r\n");
        var head = new ResponseHead();
        head.TryParse(data, 0, data.Length).ShouldBe(HeadStatus.Complete);

        head.HasDate.ShouldBeTrue();
        head.EndsAtClose("GET").ShouldBeTrue(); // neither length nor chunks: the body runs to the close
        head.HasBody("HEAD").ShouldBeFalse();
        var noContent = Encoding.ASCII.GetBytes("HTTP/1.1 204 No Content\r\n\r\n");
        head.TryParse(noContent, 0, noContent.Length).ShouldBe(HeadStatus.Complete);
        head.HasBody("GET").ShouldBeFalse();
    }

    [Fact]
    public void ChunkedScanner_FindsTheEndAcrossAnySplit_AndCapturesTheDecodedBody()
    {
        var body = Encoding.ASCII.GetBytes("5;ext=1\r\nhello\r\nB\r\n, chunked!!\r\n0\r\nX-Trailer: t\r\n\r\nNEXT");
        for (var split = 1; split < body.Length - 4; split++)
        {
            var scanner = new ChunkedScanner();
            var capture = new CaptureBuffer(-1);
            var used = scanner.Scan(body.AsSpan(0, split), capture);
            used.ShouldBe(split);
            scanner.Done.ShouldBeFalse();
            used += scanner.Scan(body.AsSpan(split), capture);

            scanner.Done.ShouldBeTrue();
            used.ShouldBe(body.Length - 4, $"split at {split}");
            Encoding.ASCII.GetString(capture.ToArray()!).ShouldBe("hello, chunked!!");
        }
    }

    [Theory]
    [InlineData("zz\r\n")]
    [InlineData("5\r\nhelloX\r\n")]
    [InlineData("5\nhello\r\n")]
    [InlineData("1000000000000000\r\n")]
    public void ChunkedScanner_MalformedChunks_AreRefused(string text)
    {
        var scanner = new ChunkedScanner();
        Should.Throw<InvalidDataException>(() => scanner.Scan(Encoding.ASCII.GetBytes(text), null));
    }

    [Fact]
    public void CaptureBuffer_PastTheLimit_KeepsNothing()
    {
        var capture = new CaptureBuffer(-1);
        capture.Add(new byte[Forwarder.CaptureLimit]);
        capture.ToArray()!.Length.ShouldBe(Forwarder.CaptureLimit);
        capture.Add(new byte[1]);

        capture.Kept.ShouldBeFalse();
        capture.ToArray().ShouldBeNull();
        new CaptureBuffer(Forwarder.CaptureLimit + 1L).Kept.ShouldBeFalse();
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
