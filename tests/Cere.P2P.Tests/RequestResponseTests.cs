using System.Collections.Concurrent;
using Cere.P2P.Addressing;
using Cere.P2P.Hosting;
using Cere.P2P.RequestResponse;

namespace Cere.P2P.Tests;

/// <summary>Request/response between our hosts over loopback: answers, error statuses, limits, deadlines and bad input.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RequestResponseTests
{
    private const string Echo = "/cere/test/echo/1";

    private Host _server = null!;
    private Host _client = null!;
    private ConcurrentQueue<string> _serverLog = null!;
    private RequestResponseService _serverRr = null!;
    private RequestResponseService _clientRr = null!;

    [SetUp]
    public async Task SetUp()
    {
        (Host server, Multiaddr address, ConcurrentQueue<string> log) = await TestHosts.StartAsync();
        (Host client, _, _) = await TestHosts.StartAsync();
        _server = server;
        _client = client;
        _serverLog = log;
        _serverRr = new RequestResponseService(server);
        _clientRr = new RequestResponseService(client);
        await client.DialAsync(address);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static Task<Response> EchoHandler(Cere.P2P.Crypto.PeerId peer, ReadOnlyMemory<byte> request, CancellationToken ct) =>
        Task.FromResult(Response.Ok(System.Text.Encoding.UTF8.GetBytes("echo:" + System.Text.Encoding.UTF8.GetString(request.Span))));

    [Test]
    public async Task AnswersARequest()
    {
        _serverRr.Register(Echo, EchoHandler);
        byte[] answer = await _clientRr.RequestAsync(_server.PeerId, Echo, "ping"u8.ToArray());
        Assert.That(System.Text.Encoding.UTF8.GetString(answer), Is.EqualTo("echo:ping"));
    }

    [Test]
    public async Task ManyConcurrentRequestsEachGetTheirOwnAnswer()
    {
        _serverRr.Register(Echo, EchoHandler);
        Task<byte[]>[] calls = [.. Enumerable.Range(0, 40).Select(i => _clientRr.RequestAsync(_server.PeerId, Echo, System.Text.Encoding.UTF8.GetBytes(i.ToString())))];
        byte[][] answers = await Task.WhenAll(calls);
        for (var i = 0; i < answers.Length; i++)
            Assert.That(System.Text.Encoding.UTF8.GetString(answers[i]), Is.EqualTo("echo:" + i));
    }

    [Test]
    public async Task EmptyRequestAndEmptyAnswerAreFine()
    {
        _serverRr.Register(Echo, (_, req, _) => Task.FromResult(Response.Ok(req)));
        byte[] answer = await _clientRr.RequestAsync(_server.PeerId, Echo, ReadOnlyMemory<byte>.Empty);
        Assert.That(answer, Is.Empty);
    }

    [Test]
    public void ErrorStatusReachesTheRequesterWithItsReason()
    {
        _serverRr.Register(Echo, (_, _, _) => Task.FromResult(Response.Error(ResponseStatus.ResourceUnavailable, "no such block")));
        RequestFailedException e = Assert.ThrowsAsync<RequestFailedException>(() => _clientRr.RequestAsync(_server.PeerId, Echo, "x"u8.ToArray()))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Status, Is.EqualTo(ResponseStatus.ResourceUnavailable));
            Assert.That(e.Reason, Is.EqualTo("no such block"));
        });
    }

    [Test]
    public async Task HandlerExceptionBecomesServerErrorAndTheNodeStaysUp()
    {
        _serverRr.Register(Echo, (_, req, _) => req.Length == 0 ? throw new InvalidOperationException("boom") : EchoHandler(null!, req, default));
        RequestFailedException e = Assert.ThrowsAsync<RequestFailedException>(() => _clientRr.RequestAsync(_server.PeerId, Echo, ReadOnlyMemory<byte>.Empty))!;
        Assert.That(e.Status, Is.EqualTo(ResponseStatus.ServerError));
        Assert.That(e.Reason, Is.EqualTo("internal error"), "internals must not leak to the requester");
        Assert.That(_serverLog, Has.Some.Contains("handler failed").And.Some.Contains("boom"));
        Assert.That(System.Text.Encoding.UTF8.GetString(await _clientRr.RequestAsync(_server.PeerId, Echo, "after"u8.ToArray())), Is.EqualTo("echo:after"));
    }

    [Test]
    public void SlowHandlerTimesOutOnTheRequesterSide()
    {
        _serverRr.Register(Echo, async (_, req, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            return Response.Ok(req);
        });
        RequestResponseOptions quick = new() { RequestTimeout = TimeSpan.FromMilliseconds(300) };
        TimeoutException e = Assert.ThrowsAsync<TimeoutException>(() => _clientRr.RequestAsync(_server.PeerId, Echo, "x"u8.ToArray(), quick))!;
        Assert.That(e.Message, Does.Contain("timed out after 0.3 s"));
    }

    [Test]
    public void HandlerDeadlineAnswersServerError()
    {
        _serverRr.Register(Echo, async (_, req, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            return Response.Ok(req);
        }, new RequestResponseOptions { HandlerTimeout = TimeSpan.FromMilliseconds(200) });
        RequestFailedException e = Assert.ThrowsAsync<RequestFailedException>(() => _clientRr.RequestAsync(_server.PeerId, Echo, "x"u8.ToArray()))!;
        Assert.That(e.Reason, Is.EqualTo("handler timed out"));
    }

    [Test]
    public void OversizedRequestIsRefusedBeforeSendingAndByTheResponder()
    {
        _serverRr.Register(Echo, EchoHandler, new RequestResponseOptions { MaxRequestSize = 16 });
        Assert.ThrowsAsync<ArgumentException>(() => _clientRr.RequestAsync(_server.PeerId, Echo, new byte[17], new RequestResponseOptions { MaxRequestSize = 16 }));

        // A requester with a larger limit sends it anyway: the responder answers InvalidRequest.
        RequestFailedException e = Assert.ThrowsAsync<RequestFailedException>(() => _clientRr.RequestAsync(_server.PeerId, Echo, new byte[17]))!;
        Assert.That(e.Status, Is.EqualTo(ResponseStatus.InvalidRequest));
        Assert.That(e.Reason, Does.Contain("over the limit of 16"));
    }

    [Test]
    public void OversizedAnswerIsRefusedByTheRequester()
    {
        _serverRr.Register(Echo, (_, _, _) => Task.FromResult(Response.Ok(new byte[4096])));
        RequestFailedException e = Assert.ThrowsAsync<RequestFailedException>(() => _clientRr.RequestAsync(_server.PeerId, Echo, "x"u8.ToArray(), new RequestResponseOptions { MaxResponseSize = 1024 }))!;
        Assert.That(e.Reason, Does.Contain("over the limit of 1024"));
    }

    [Test]
    public void UnknownProtocolIsNotSupported()
    {
        Assert.ThrowsAsync<ProtocolNotSupportedException>(() => _clientRr.RequestAsync(_server.PeerId, "/cere/test/nothing/1", "x"u8.ToArray()));
    }

    [Test]
    public async Task GarbageRequestGetsAnErrorAndTheResponderStaysUp()
    {
        _serverRr.Register(Echo, EchoHandler, new RequestResponseOptions { MaxRequestSize = 1024 });
        P2pStream s = await _client.NewStreamAsync(_server.PeerId, Echo);
        await using (s)
        {
            await s.WriteAsync(new byte[] { 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3 }); // announces ~4 GiB
            await s.CloseWriteAsync();
            byte[] reply = new byte[256];
            int n = await s.ReadAtLeastAsync(reply, 1, throwOnEndOfStream: false);
            Assert.That(n, Is.GreaterThan(0));
            Assert.That(reply[0], Is.EqualTo((byte)ResponseStatus.InvalidRequest));
        }

        Assert.That(System.Text.Encoding.UTF8.GetString(await _clientRr.RequestAsync(_server.PeerId, Echo, "ok"u8.ToArray())), Is.EqualTo("echo:ok"));
    }

    [Test]
    public async Task ConcurrencyLimitAnswersResourceUnavailable()
    {
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = 0;
        _serverRr.Register(Echo, async (_, req, _) =>
        {
            Interlocked.Increment(ref entered);
            await release.Task;
            return Response.Ok(req);
        }, new RequestResponseOptions { MaxConcurrentRequests = 2 });

        Task<byte[]> first = _clientRr.RequestAsync(_server.PeerId, Echo, "1"u8.ToArray());
        Task<byte[]> second = _clientRr.RequestAsync(_server.PeerId, Echo, "2"u8.ToArray());
        Assert.That(await TestHosts.EventuallyAsync(() => Volatile.Read(ref entered) == 2, TimeSpan.FromSeconds(10)), Is.True, "both slots taken");
        RequestFailedException e = Assert.ThrowsAsync<RequestFailedException>(() => _clientRr.RequestAsync(_server.PeerId, Echo, "3"u8.ToArray()))!;
        Assert.That(e.Status, Is.EqualTo(ResponseStatus.ResourceUnavailable));
        release.SetResult();
        Assert.That((await first).Length + (await second).Length, Is.EqualTo(2));
    }
}
