using Cere.P2P.PubSub;
using Cere.P2P.PubSub.Wire;

namespace Cere.P2P.Tests;

/// <summary>Mesh maintenance, propagation and gossip in deterministic in-memory networks of routers.</summary>
public sealed class GossipsubMeshTests
{
    private const string Topic = "blocks";

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void MeshDegreeStaysWithinDLowAndDHighAfterHeartbeats(int seed)
    {
        var net = new GossipTestNetwork(seed);
        var nodes = net.AddMany(40);
        net.ConnectRandomly(nodes, 10); // about 20 connections each: more than D_hi, so pruning happens
        foreach (var n in nodes)
            n.Router.Subscribe(Topic);
        net.Run();
        net.Heartbeat(5);

        var o = new GossipsubOptions();
        foreach (var n in nodes)
        {
            var mesh = n.Router.MeshPeers(Topic);
            Assert.That(mesh, Has.Count.InRange(o.DLow, o.DHigh), $"{n} mesh size");
            foreach (var peer in mesh)
                Assert.That(net.Nodes[peer].Router.MeshPeers(Topic), Does.Contain(n.Name), $"mesh link {n}->{peer} is one-sided");
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void EveryNodeReceivesEachMessageExactlyOnce(bool floodPublish)
    {
        var net = new GossipTestNetwork(7);
        var nodes = net.AddMany(30, new GossipsubOptions { FloodPublish = floodPublish });
        net.ConnectRandomly(nodes, 4);
        foreach (var n in nodes)
            n.Router.Subscribe(Topic);
        net.Heartbeat(3);

        for (var i = 0; i < 10; i++)
        {
            Assert.That(nodes[i].Router.Publish(Topic, [(byte)i, 1, 2, 3]), Is.GreaterThan(0));
            net.Run();
        }

        foreach (var n in nodes)
        {
            var others = 10 - (nodes.IndexOf(n) < 10 ? 1 : 0);
            Assert.That(n.Delivered, Has.Count.EqualTo(others), $"{n} deliveries");
            Assert.That(n.Delivered.Select(m => m.Id).Distinct().Count(), Is.EqualTo(others), $"{n} duplicates delivered");
        }
    }

    [Test]
    public void SeenCacheStopsForwardingLoops()
    {
        // A complete graph: every node is in every other's reach, so without the seen cache a message would circulate forever.
        var net = new GossipTestNetwork(11);
        var nodes = net.AddMany(12, new GossipsubOptions { FloodPublish = false });
        foreach (var a in nodes)
        {
            foreach (var b in nodes)
                net.Connect(a, b);
        }

        foreach (var n in nodes)
            n.Router.Subscribe(Topic);
        net.Heartbeat(2);

        var before = nodes.Sum(n => n.MessagesSent);
        nodes[0].Router.Publish(Topic, "once"u8);
        net.Run();
        var sent = nodes.Sum(n => n.MessagesSent) - before;

        // Each node forwards at most once, to at most its mesh (≤ D_hi) peers.
        Assert.That(sent, Is.LessThanOrEqualTo(nodes.Count * new GossipsubOptions().DHigh));
        foreach (var n in nodes.Skip(1))
            Assert.That(n.Delivered, Has.Count.EqualTo(1), $"{n}");
        Assert.That(nodes[0].Delivered, Is.Empty, "the publisher must not receive its own message back");
    }

    [Test]
    public void IHaveIWantRecoversAMessageAPeerMissed()
    {
        var net = new GossipTestNetwork(5);
        var nodes = net.AddMany(12);
        foreach (var a in nodes)
        {
            foreach (var b in nodes)
                net.Connect(a, b);
        }

        foreach (var n in nodes)
            n.Router.Subscribe(Topic);
        net.Heartbeat(2);

        var victim = nodes[^1];
        var iwantsSent = 0;
        var partitioned = true;
        net.Drop = (from, to, rpc) =>
        {
            if (from == victim.Name && rpc.Control?.Iwant.Count > 0)
                iwantsSent++;
            // While partitioned, the victim gets no message pushes; control traffic still flows.
            return partitioned && to == victim.Name && rpc.Publish.Count > 0;
        };

        nodes[0].Router.Publish(Topic, "missed"u8);
        net.Run();
        Assert.That(victim.Delivered, Is.Empty, "precondition: the push was dropped");

        partitioned = false;
        net.Heartbeat(); // gossip: IHAVE from non-mesh peers, IWANT back, message in reply

        Assert.That(iwantsSent, Is.GreaterThan(0), "the victim never asked for the message");
        Assert.That(victim.Delivered, Has.Count.EqualTo(1));
        Assert.That(victim.Delivered[0].Data.ToArray(), Is.EqualTo("missed"u8.ToArray()));
    }

    [Test]
    public void PruneBackoffIsRespected()
    {
        var (net, a, b) = TwoMeshPeers(3);

        // b prunes a with a 30 s backoff.
        var prune = new RPC { Control = new ControlMessage() };
        prune.Control.Prune.Add(new ControlPrune { TopicID = Topic, Backoff = 30 });
        net.Inject(b.Name, a, prune);
        Assert.That(a.Router.MeshPeers(Topic), Is.Empty);

        var grafts = 0;
        net.Drop = (from, to, rpc) =>
        {
            if (from == a.Name && rpc.Control?.Graft.Count > 0)
                grafts++;
            return false;
        };

        net.Heartbeat(30); // a's mesh is under D_lo the whole time, but b is backed off
        Assert.That(grafts, Is.Zero, "a re-grafted b inside the backoff");
        Assert.That(a.Router.MeshPeers(Topic), Is.Empty);

        net.Heartbeat(3); // backoff plus one heartbeat of slack has passed
        Assert.That(grafts, Is.GreaterThan(0));
        Assert.That(a.Router.MeshPeers(Topic), Does.Contain(b.Name));
    }

    [Test]
    public void GraftDuringBackoffIsPenalisedAndAnsweredWithPrune()
    {
        var (net, a, b) = TwoMeshPeers(4);

        // a prunes b (as it would when oversubscribed): a now holds a backoff for b.
        a.Router.Unsubscribe(Topic);
        a.Router.Subscribe(Topic);
        net.Run();
        var prunesToB = 0;
        net.Drop = (from, to, rpc) =>
        {
            if (from == a.Name && rpc.Control?.Prune.Count > 0)
                prunesToB++;
            return false;
        };

        var graft = new RPC { Control = new ControlMessage() };
        graft.Control.Graft.Add(new ControlGraft { TopicID = Topic });
        for (var i = 0; i < 3; i++)
            net.Inject(b.Name, a, graft);

        Assert.That(prunesToB, Is.EqualTo(3), "each early GRAFT gets a PRUNE");
        Assert.That(a.Router.MeshPeers(Topic), Does.Not.Contain(b.Name));
        Assert.That(a.Router.Score(b.Name), Is.LessThan(0), "early GRAFTs must cost score (P7)");
        Assert.That(a.LogLines, Has.Some.Contains("during its backoff"));

        // Penalty 1 + 2 + 2 (the last two right after a PRUNE): (5 - 1)² × -10 = -160, graylisted; further GRAFTs go unanswered.
        Assert.That(a.Graylisted, Does.Contain(b.Name));
        net.Inject(b.Name, a, graft);
        Assert.That(prunesToB, Is.EqualTo(3));
    }

    [Test]
    public void GraftAfterThePeersOwnPruneIsAcceptedWithoutPenalty()
    {
        var (net, a, b) = TwoMeshPeers(5);

        // b leaves the topic (as a node shutting down does): its PRUNE asks a to back off from b for 10 s.
        b.Router.Unsubscribe(Topic);
        net.Run();
        Assert.That(a.Router.MeshPeers(Topic), Does.Not.Contain(b.Name));

        // b comes back at once (a restart with the same peer id) and GRAFTs a, on every topic it had, inside that backoff.
        var prunesToB = 0;
        net.Drop = (from, to, rpc) =>
        {
            if (from == a.Name && rpc.Control?.Prune.Count > 0)
                prunesToB++;
            return false;
        };
        var graft = new RPC { Control = new ControlMessage() };
        graft.Control.Graft.Add(new ControlGraft { TopicID = Topic });
        net.Inject(b.Name, a, graft);

        Assert.That(prunesToB, Is.Zero, "the backoff was b's request, not a's");
        Assert.That(a.Router.MeshPeers(Topic), Does.Contain(b.Name));
        Assert.That(a.Router.Score(b.Name), Is.GreaterThanOrEqualTo(0));
        Assert.That(a.Graylisted, Does.Not.Contain(b.Name));
        Assert.That(a.LogLines, Has.None.Contains("during its backoff"));

        // The backoff a imposes itself still binds b: a prunes b, and b's immediate GRAFT is penalised as before.
        a.Router.Unsubscribe(Topic);
        a.Router.Subscribe(Topic);
        net.Run();
        prunesToB = 0;
        net.Inject(b.Name, a, graft);
        Assert.That(prunesToB, Is.EqualTo(1));
        Assert.That(a.LogLines, Has.Some.Contains("during its backoff"));
    }

    [Test]
    public void OversubscribedMeshPrunesWithPeerExchangeToV11Peers()
    {
        var net = new GossipTestNetwork(8);
        var hub = net.Add();
        var leaves = net.AddMany(20);
        hub.Router.Subscribe(Topic);
        foreach (var leaf in leaves)
        {
            leaf.Router.Subscribe(Topic);
            net.Connect(leaf, hub);
        }

        var pxPrunes = 0;
        net.Drop = (from, to, rpc) =>
        {
            if (from == hub.Name && rpc.Control is { } c)
            {
                foreach (var p in c.Prune)
                {
                    if (p.Peers.Count > 0 && p.Backoff == 60)
                        pxPrunes++;
                }
            }

            return false;
        };

        net.Heartbeat(2);
        var o = new GossipsubOptions();
        Assert.That(hub.Router.MeshPeers(Topic), Has.Count.InRange(o.DLow, o.DHigh));
        Assert.That(pxPrunes, Is.GreaterThan(0), "pruned v1.1 peers should get backoff and peer exchange");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void PeerExchangeIsUsedOnlyFromPeersScoredAboveTheAcceptThreshold(bool trusted)
    {
        var net = new GossipTestNetwork(18);
        var hub = net.Add();

        // AcceptPXThreshold (10) is meant to be reachable only by trusted peers such as bootnodes: here through the
        // application-specific score (P5) the leaves give the hub.
        var leafOptions = new GossipsubOptions
        {
            Score = new PeerScoreParams { AppSpecificScore = p => trusted && p == hub.Name ? 20 : 0 },
        };
        var leaves = net.AddMany(20, leafOptions);
        hub.Router.Subscribe(Topic);
        foreach (var leaf in leaves)
        {
            leaf.Router.Subscribe(Topic);
            net.Connect(leaf, hub);
        }

        net.Heartbeat(2); // the hub is oversubscribed and prunes with peer exchange

        var exchanges = leaves.SelectMany(l => l.Exchanges).ToList();
        if (trusted)
        {
            Assert.That(exchanges, Is.Not.Empty);
            Assert.That(exchanges.All(e => e.From == hub.Name && e.Topic == Topic && e.Count > 0), Is.True);
        }
        else
        {
            Assert.That(exchanges, Is.Empty, "PX from a peer below AcceptPXThreshold must be ignored");
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void OversubscriptionPruningKeepsTheBestScoringPeersAndOutboundQuota(int seed)
    {
        var net = new GossipTestNetwork(seed);
        var favourites = new HashSet<string>(StringComparer.Ordinal);
        var hubOptions = new GossipsubOptions
        {
            Score = new PeerScoreParams { AppSpecificScore = p => favourites.Contains(p) ? 5 : 0 },
        };
        var hub = net.Add(hubOptions);
        var inbound = net.AddMany(18);
        var outbound = net.AddMany(2);
        foreach (var n in inbound.Take(4))
            favourites.Add(n.Name);
        hub.Router.Subscribe(Topic);
        foreach (var leaf in inbound)
        {
            leaf.Router.Subscribe(Topic);
            net.Connect(leaf, hub); // the leaves dialled: inbound for the hub
        }

        foreach (var leaf in outbound)
        {
            leaf.Router.Subscribe(Topic);
            net.Connect(hub, leaf); // the hub dialled these: outbound
        }

        net.Heartbeat(2);
        var mesh = hub.Router.MeshPeers(Topic);
        var o = new GossipsubOptions();
        Assert.That(mesh, Has.Count.InRange(o.DLow, o.DHigh));
        Assert.That(mesh, Is.SupersetOf(favourites), "D_score best-scoring peers survive the prune");
        Assert.That(mesh.Count(p => outbound.Any(x => x.Name == p)), Is.GreaterThanOrEqualTo(o.DOut), "D_out outbound peers are kept");
    }

    [Test]
    public void MeshsubV10PeerGetsPruneWithoutV11Fields()
    {
        var net = new GossipTestNetwork(9);
        var hub = net.Add();
        var leaves = net.AddMany(16);
        hub.Router.Subscribe(Topic);
        foreach (var leaf in leaves)
        {
            leaf.Router.Subscribe(Topic);
            net.Connect(leaf, hub, GossipProtocol.Meshsub10);
        }

        var prunes = new List<ControlPrune>();
        net.Drop = (from, to, rpc) =>
        {
            if (from == hub.Name && rpc.Control is { } c)
                prunes.AddRange(c.Prune);
            return false;
        };
        net.Heartbeat(2);

        Assert.That(prunes, Is.Not.Empty);
        Assert.That(prunes.All(p => !p.HasBackoff && p.Peers.Count == 0), Is.True, "v1.0 peers must not get v1.1 PRUNE fields");
    }

    [Test]
    public void FloodsubPeerReceivesMessagesButIsNeverGrafted()
    {
        var net = new GossipTestNetwork(10);
        var nodes = net.AddMany(6);
        var flood = net.Add();
        foreach (var a in nodes)
        {
            foreach (var b in nodes)
                net.Connect(a, b);
            net.Connect(a, flood, GossipProtocol.Floodsub);
        }

        foreach (var n in nodes)
            n.Router.Subscribe(Topic);
        flood.Router.Subscribe(Topic);
        net.Heartbeat(3);

        foreach (var n in nodes)
            Assert.That(n.Router.MeshPeers(Topic), Does.Not.Contain(flood.Name));
        nodes[0].Router.Publish(Topic, "to floodsub"u8);
        net.Run();
        Assert.That(flood.Delivered, Has.Count.EqualTo(1));
    }

    [Test]
    public void FanoutCarriesMessagesOfATopicWeDoNotJoinAndExpires()
    {
        var o = new GossipsubOptions { FloodPublish = false, FanoutTtl = TimeSpan.FromSeconds(10) };
        var net = new GossipTestNetwork(12);
        var publisher = net.Add(o);
        var subscribers = net.AddMany(10, o);
        foreach (var s in subscribers)
        {
            s.Router.Subscribe(Topic);
            net.Connect(publisher, s);
        }

        net.ConnectRandomly(subscribers, 3);
        net.Heartbeat(2);
        Assert.That(publisher.Router.Publish(Topic, "via fanout"u8), Is.EqualTo(o.D));
        net.Run();
        Assert.That(publisher.Router.FanoutPeers(Topic), Has.Count.EqualTo(o.D));
        Assert.That(subscribers.Count(s => s.Delivered.Count == 1), Is.EqualTo(subscribers.Count), "the mesh spreads it to all");

        net.Heartbeat(12);
        Assert.That(publisher.Router.FanoutPeers(Topic), Is.Empty, "fanout must expire after its TTL");
    }

    [Test]
    public void JoiningUsesFanoutPeersFirst()
    {
        var o = new GossipsubOptions { FloodPublish = false };
        var net = new GossipTestNetwork(13);
        var publisher = net.Add(o);
        var subscribers = net.AddMany(10, o);
        foreach (var s in subscribers)
        {
            s.Router.Subscribe(Topic);
            net.Connect(publisher, s);
        }

        publisher.Router.Publish(Topic, "x"u8);
        var fanout = publisher.Router.FanoutPeers(Topic);
        publisher.Router.Subscribe(Topic);
        net.Run();
        Assert.That(publisher.Router.MeshPeers(Topic), Is.EquivalentTo(fanout));
    }

    [Test]
    public void SameSeedGivesTheSameRun()
    {
        static string Run()
        {
            var net = new GossipTestNetwork(42);
            var nodes = net.AddMany(20);
            net.ConnectRandomly(nodes, 5);
            foreach (var n in nodes)
                n.Router.Subscribe(Topic);
            net.Heartbeat(3);
            return string.Join(";", nodes.Select(n => string.Join(",", n.Router.MeshPeers(Topic).Order(StringComparer.Ordinal))));
        }

        var first = Run();
        var second = Run();
        Assert.That(second, Is.EqualTo(first));
    }

    // Two nodes of a fresh network, connected and in each other's mesh for Topic (default options).
    private static (GossipTestNetwork Net, GossipTestNode A, GossipTestNode B) TwoMeshPeers(int seed)
    {
        var net = new GossipTestNetwork(seed);
        var a = net.Add();
        var b = net.Add();
        net.Connect(a, b);
        a.Router.Subscribe(Topic);
        b.Router.Subscribe(Topic);
        net.Run();
        net.Heartbeat();
        Assert.That(a.Router.MeshPeers(Topic), Does.Contain(b.Name), "precondition: a and b are mesh peers");
        return (net, a, b);
    }
}
