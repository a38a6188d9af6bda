using System.Collections.Concurrent;
using Cere.P2P.Addressing;
using Cere.P2P.Hosting;
using Cere.P2P.PubSub;

namespace Cere.P2P.Tests;

/// <summary>Gossipsub between our own hosts over real loopback connections (TCP + Noise + yamux).</summary>
[TestFixture]
[NonParallelizable]
public sealed class GossipsubHostTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly GossipsubOptions Fast = new() { HeartbeatInterval = TimeSpan.FromMilliseconds(200) };

    [Test]
    public async Task MessagesFlowBothWaysBetweenTwoHosts()
    {
        (Host a, _, _) = await TestHosts.StartAsync();
        (Host b, Multiaddr bAddress, _) = await TestHosts.StartAsync();
        await using Host ownedA = a;
        await using Host ownedB = b;
        await using GossipsubService ga = new(a, Fast);
        await using GossipsubService gb = new(b, Fast);
        ga.Start();
        gb.Start();
        ConcurrentQueue<GossipMessage> atA = new();
        ConcurrentQueue<GossipMessage> atB = new();
        using IDisposable subA = ga.Subscribe("t", atA.Enqueue);
        using IDisposable subB = gb.Subscribe("t", atB.Enqueue);

        await a.DialAsync(bAddress);
        Assert.That(await TestHosts.EventuallyAsync(() => ga.MeshPeers("t").Count == 1 && gb.MeshPeers("t").Count == 1, Wait), Is.True, "mesh did not form");

        Assert.That(ga.Publish("t", "from a"u8), Is.EqualTo(1));
        Assert.That(gb.Publish("t", "from b"u8), Is.EqualTo(1));
        Assert.That(await TestHosts.EventuallyAsync(() => atA.Count == 1 && atB.Count == 1, Wait), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(atB.Single().Data.ToArray(), Is.EqualTo("from a"u8.ToArray()));
            Assert.That(atB.Single().Author, Is.EqualTo(a.PeerId));
            Assert.That(atA.Single().Data.ToArray(), Is.EqualTo("from b"u8.ToArray()));
            Assert.That(atA.Single().Author, Is.EqualTo(b.PeerId));
        });
    }

    [Test]
    public async Task FiveHostsInALineDeliverToEveryone()
    {
        List<(Host Host, Multiaddr Address)> hosts = [];
        List<GossipsubService> services = [];
        List<ConcurrentQueue<GossipMessage>> inboxes = [];
        try
        {
            for (var i = 0; i < 5; i++)
            {
                (Host h, Multiaddr addr, _) = await TestHosts.StartAsync();
                hosts.Add((h, addr));
                GossipsubService g = new(h, Fast);
                g.Start();
                services.Add(g);
                ConcurrentQueue<GossipMessage> inbox = new();
                inboxes.Add(inbox);
                g.Subscribe("line", inbox.Enqueue);
            }

            for (var i = 1; i < 5; i++)
                await hosts[i].Host.DialAsync(hosts[i - 1].Address);
            Assert.That(await TestHosts.EventuallyAsync(() => services.TrueForAll(s => s.MeshPeers("line").Count > 0), Wait), Is.True);

            services[0].Publish("line", "end to end"u8);
            Assert.That(await TestHosts.EventuallyAsync(() => inboxes.Skip(1).All(q => q.Count == 1), Wait), Is.True, "a message must cross four hops");
            Assert.That(inboxes[0], Is.Empty);
        }
        finally
        {
            foreach (GossipsubService s in services)
                await s.DisposeAsync();
            foreach ((Host h, _) in hosts)
                await h.DisposeAsync();
        }
    }

    [Test]
    public async Task GarbageOnThePubsubStreamDropsThePeerWithAReason()
    {
        (Host a, _, ConcurrentQueue<string> logA) = await TestHosts.StartAsync();
        (Host b, _, _) = await TestHosts.StartAsync();
        await using Host ownedA = a;
        await using Host ownedB = b;
        await using GossipsubService ga = new(a, Fast);
        ga.Start();

        Connection c = await b.DialAsync(a.ListenAddresses[0].WithPeerId(a.PeerId));
        P2pStream s = await c.OpenStreamAsync(GossipProtocolIds.Meshsub11, CancellationToken.None);
        // A frame of 5 bytes that is not a protobuf RPC (field 0 is invalid).
        await s.WriteAsync(new byte[] { 5, 0, 0, 0, 0, 0 });
        await s.FlushAsync();

        Assert.That(await TestHosts.EventuallyAsync(() => c.IsClosed, Wait), Is.True, "the connection should be dropped");
        Assert.That(logA, Has.Some.Contains("gossipsub: dropping peer " + b.PeerId).And.Some.Contains("malformed RPC"));
    }

    [Test]
    public async Task OversizedFrameDropsThePeer()
    {
        (Host a, _, ConcurrentQueue<string> logA) = await TestHosts.StartAsync();
        (Host b, _, _) = await TestHosts.StartAsync();
        await using Host ownedA = a;
        await using Host ownedB = b;
        await using GossipsubService ga = new(a, new GossipsubOptions { MaxMessageSize = 1024, MaxRpcSize = 4096 });
        ga.Start();

        Connection c = await b.DialAsync(a.ListenAddresses[0].WithPeerId(a.PeerId));
        P2pStream s = await c.OpenStreamAsync(GossipProtocolIds.Meshsub11, CancellationToken.None);
        await s.WriteAsync(new byte[] { 0x80, 0x80, 0x04 }); // announces 65536 bytes
        await s.FlushAsync();

        Assert.That(await TestHosts.EventuallyAsync(() => c.IsClosed, Wait), Is.True);
        Assert.That(logA, Has.Some.Contains("over the limit of 4096"));
    }
}
