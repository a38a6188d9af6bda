using System.Collections.Concurrent;
using System.Text.Json;
using Cere.P2P.Addressing;
using Cere.P2P.Hosting;
using Cere.P2P.Peers;
using Cere.P2P.PubSub;
using Cere.P2P.Tests.Interop;

namespace Cere.P2P.Tests;

/// <summary>Gossipsub against real js-libp2p nodes (@chainsafe/libp2p-gossipsub 14.1.0 via tests/e2e/gossip-peer.mjs).</summary>
[TestFixture]
[NonParallelizable]
public sealed class GossipInteropTests
{
    private const string Script = "gossip-peer.mjs";
    private const string Topic = "cere-interop";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly GossipsubOptions Fast = new() { HeartbeatInterval = TimeSpan.FromMilliseconds(500) };

    private sealed class OurNode : IAsyncDisposable
    {
        public required Host Host { get; init; }

        public required Multiaddr Address { get; init; }

        public required GossipsubService Gossip { get; init; }

        public ConcurrentQueue<GossipMessage> Inbox { get; } = new();

        public bool Received(string text) => Inbox.Any(m => System.Text.Encoding.UTF8.GetString(m.Data.Span) == text);

        public async ValueTask DisposeAsync()
        {
            await Gossip.DisposeAsync();
            await Host.DisposeAsync();
        }
    }

    private static async Task<OurNode> StartOursAsync()
    {
        (Host host, Multiaddr address, _) = await TestHosts.StartAsync();
        GossipsubService gossip = new(host, Fast);
        gossip.Start();
        OurNode node = new() { Host = host, Address = address, Gossip = gossip };
        gossip.Subscribe(Topic, node.Inbox.Enqueue);
        return node;
    }

    private static async Task<JsLibp2pPeer> StartJsAsync(params string[] args)
    {
        JsLibp2pPeer js = await JsLibp2pPeer.StartAsync(Script, args);
        await js.CommandAsync("subscribe", new { topic = Topic });
        return js;
    }

    private static async Task<JsonElement> WaitMessageAsync(JsLibp2pPeer js, string text, string from) =>
        await js.WaitEventAsync("message", e => e.GetProperty("data").GetString() == text && e.GetProperty("from").GetString() == from, Wait);

    private static async Task<List<string>> MeshAsync(JsLibp2pPeer js)
    {
        JsonElement peers = await js.CommandAsync("peers", new { topic = Topic });
        return [.. peers.GetProperty("mesh").EnumerateArray().Select(e => e.GetString()!)];
    }

    [Test]
    public async Task MessagesPublishedOnEachSideArriveOnTheOther()
    {
        await using JsLibp2pPeer js = await StartJsAsync();
        await using OurNode ours = await StartOursAsync();

        await ours.Host.DialAsync(Multiaddr.Parse(js.Address));
        Assert.That(await TestHosts.EventuallyAsync(() => ours.Gossip.MeshPeers(Topic).Count == 1, Wait), Is.True, "js never joined our mesh");
        Assert.That(await EventuallyAsync(async () => (await MeshAsync(js)).Contains(ours.Host.PeerId.ToString())), Is.True, "we never joined js's mesh");

        Assert.That(ours.Gossip.Publish(Topic, "hello js"u8), Is.EqualTo(1));
        await WaitMessageAsync(js, "hello js", ours.Host.PeerId.ToString());

        JsonElement published = await js.CommandAsync("publish", new { topic = Topic, data = "hello cere" });
        Assert.That(published.GetProperty("recipients").EnumerateArray().Select(e => e.GetString()), Does.Contain(ours.Host.PeerId.ToString()));
        Assert.That(await TestHosts.EventuallyAsync(() => ours.Received("hello cere"), Wait), Is.True);
        GossipMessage m = ours.Inbox.Single(x => System.Text.Encoding.UTF8.GetString(x.Data.Span) == "hello cere");
        Assert.That(m.Author?.ToString(), Is.EqualTo(js.PeerId), "the js signature was verified and the author kept");
    }

    [Test]
    public async Task MeshOfThreeJsAndTwoOursDeliversEverywhereIncludingAfterARestart()
    {
        string js2Key = Convert.ToHexStringLower(Cere.P2P.Crypto.PeerPrivateKey.Generate().Encode());
        string js2Port = FreePort().ToString();
        JsLibp2pPeer js1 = await StartJsAsync();
        JsLibp2pPeer js2 = await StartJsAsync("--key", js2Key, "--port", js2Port);
        JsLibp2pPeer js3 = await StartJsAsync();
        await using OurNode o1 = await StartOursAsync();
        await using OurNode o2 = await StartOursAsync();
        List<JsLibp2pPeer> js = [js1, js2, js3];
        try
        {
            // A connected but incomplete graph: o1–js1, o1–js2, o2–js2, o2–js3, o1–o2, js1–js3.
            // o1 reaches js2 through its connection manager (js2 is its bootnode), so it also redials it after the restart.
            await using ConnectionManager manager = new(o1.Host, new PeerStore(), new ConnectionManagerOptions
            {
                Bootnodes = [Multiaddr.Parse(js2.Address)],
                CheckInterval = TimeSpan.FromMilliseconds(100),
                ReconnectInitialBackoff = TimeSpan.FromMilliseconds(200),
                ReconnectMaxBackoff = TimeSpan.FromSeconds(1),
                MinPeers = 0,
            });
            manager.Start();
            manager.UseGossipsub(o1.Gossip);
            await o1.Host.DialAsync(Multiaddr.Parse(js1.Address));
            await o2.Host.DialAsync(Multiaddr.Parse(js2.Address));
            await o2.Host.DialAsync(Multiaddr.Parse(js3.Address));
            await o1.Host.DialAsync(o2.Address);
            await js1.CommandAsync("dial", new { addr = js3.Address });
            await WaitForMeshesAsync(js, o1, o2);

            await PublishEverywhereAsync(js, [o1, o2], "round1");

            // Restart js2 (same key and port): it is the only link o1 and o2 share with js-only paths.
            string js2Id = js2.PeerId;
            await js2.DisposeAsync();
            js2 = await StartJsAsync("--key", js2Key, "--port", js2Port);
            Assert.That(js2.PeerId, Is.EqualTo(js2Id), "the restarted node keeps its identity");
            js[1] = js2;
            Assert.That(await TestHosts.EventuallyAsync(() => o1.Host.FindConnection(Cere.P2P.Crypto.PeerId.Parse(js2Id)) is not null, Wait), Is.True, "o1's connection manager did not redial js2");
            await o2.Host.DialAsync(Multiaddr.Parse(js2.Address));
            await WaitForMeshesAsync(js, o1, o2);

            await PublishEverywhereAsync(js, [o1, o2], "round2");
        }
        finally
        {
            foreach (JsLibp2pPeer p in js)
                await p.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using System.Net.Sockets.TcpListener l = new(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task WaitForMeshesAsync(List<JsLibp2pPeer> js, OurNode o1, OurNode o2)
    {
        Assert.That(await TestHosts.EventuallyAsync(() => o1.Gossip.MeshPeers(Topic).Count >= 2 && o2.Gossip.MeshPeers(Topic).Count >= 2, Wait), Is.True, "our meshes did not form");
        foreach (JsLibp2pPeer p in js)
            Assert.That(await EventuallyAsync(async () => (await MeshAsync(p)).Count >= 1), Is.True, $"js {p.PeerId} mesh did not form");
    }

    /// <summary>Every node publishes one message; every other node must receive each.</summary>
    private static async Task PublishEverywhereAsync(List<JsLibp2pPeer> js, List<OurNode> ours, string round)
    {
        List<(string Text, string From)> sent = [];
        foreach (OurNode o in ours)
        {
            string text = $"{round} from ours {o.Host.PeerId}";
            Assert.That(o.Gossip.Publish(Topic, System.Text.Encoding.UTF8.GetBytes(text)), Is.GreaterThan(0));
            sent.Add((text, o.Host.PeerId.ToString()));
        }

        foreach (JsLibp2pPeer p in js)
        {
            string text = $"{round} from js {p.PeerId}";
            await p.CommandAsync("publish", new { topic = Topic, data = text });
            sent.Add((text, p.PeerId));
        }

        foreach ((string text, string from) in sent)
        {
            foreach (OurNode o in ours)
            {
                if (o.Host.PeerId.ToString() != from)
                    Assert.That(await TestHosts.EventuallyAsync(() => o.Received(text), Wait), Is.True, $"{o.Host.PeerId} did not get '{text}'");
            }

            foreach (JsLibp2pPeer p in js)
            {
                if (p.PeerId != from)
                    await WaitMessageAsync(p, text, from);
            }
        }
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        DateTime end = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < end)
        {
            if (await condition())
                return true;
            await Task.Delay(200);
        }

        return await condition();
    }
}
