using System.Text.Json;
using Cere.P2P.Addressing;
using Cere.P2P.Hosting;
using Cere.P2P.RequestResponse;
using Cere.P2P.Tests.Interop;

namespace Cere.P2P.Tests;

/// <summary>Our request/response format against a js-libp2p node's raw stream handler and raw requester (tests/e2e/gossip-peer.mjs).</summary>
[TestFixture]
[NonParallelizable]
public sealed class RequestResponseInteropTests
{
    private const string Echo = "/cere/test/echo/1";

    [Test]
    public async Task WeAskJsAndJsAnswers()
    {
        await using JsLibp2pPeer js = await JsLibp2pPeer.StartAsync("gossip-peer.mjs");
        (Host host, _, _) = await TestHosts.StartAsync();
        await using Host owned = host;
        RequestResponseService rr = new(host);
        Connection c = await host.DialAsync(Multiaddr.Parse(js.Address));

        byte[] answer = await rr.RequestAsync(c.RemotePeer, Echo, "from cere"u8.ToArray());
        Assert.That(System.Text.Encoding.UTF8.GetString(answer), Is.EqualTo("echo:from cere"));
        JsonElement seen = await js.WaitEventAsync("request", e => e.GetProperty("request").GetString() == "from cere", TimeSpan.FromSeconds(10));
        Assert.That(seen.GetProperty("from").GetString(), Is.EqualTo(host.PeerId.ToString()));

        RequestFailedException e = Assert.ThrowsAsync<RequestFailedException>(() => rr.RequestAsync(c.RemotePeer, Echo, "fail"u8.ToArray()))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Status, Is.EqualTo(ResponseStatus.ServerError));
            Assert.That(e.Reason, Is.EqualTo("asked to fail"));
        });
    }

    [Test]
    public async Task JsAsksUsAndWeAnswer()
    {
        await using JsLibp2pPeer js = await JsLibp2pPeer.StartAsync("gossip-peer.mjs");
        (Host host, Multiaddr address, _) = await TestHosts.StartAsync();
        await using Host owned = host;
        RequestResponseService rr = new(host);
        rr.Register(Echo, (peer, request, _) => Task.FromResult(
            request.Span.SequenceEqual("missing"u8)
                ? Response.Error(ResponseStatus.ResourceUnavailable, "not here")
                : Response.Ok(System.Text.Encoding.UTF8.GetBytes($"cere:{System.Text.Encoding.UTF8.GetString(request.Span)}:{peer}"))));

        await js.CommandAsync("dial", new { addr = address.ToString() });
        JsonElement ok = await js.CommandAsync("request", new { peer = host.PeerId.ToString(), protocol = Echo, data = "from js" });
        Assert.Multiple(() =>
        {
            Assert.That(ok.GetProperty("status").GetInt32(), Is.Zero);
            Assert.That(ok.GetProperty("body").GetString(), Is.EqualTo($"cere:from js:{js.PeerId}"));
        });

        JsonElement missing = await js.CommandAsync("request", new { peer = host.PeerId.ToString(), protocol = Echo, data = "missing" });
        Assert.Multiple(() =>
        {
            Assert.That(missing.GetProperty("status").GetInt32(), Is.EqualTo((int)ResponseStatus.ResourceUnavailable));
            Assert.That(missing.GetProperty("body").GetString(), Is.EqualTo("not here"));
        });
    }
}
