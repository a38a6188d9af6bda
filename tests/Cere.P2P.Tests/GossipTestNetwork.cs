using Cere.P2P.PubSub;
using Cere.P2P.PubSub.Wire;
using Google.Protobuf;

namespace Cere.P2P.Tests;

/// <summary>A settable clock for deterministic heartbeats.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>One router in a <see cref="GossipTestNetwork"/> and everything it emitted.</summary>
internal sealed class GossipTestNode : IGossipsubSink
{
    private readonly GossipTestNetwork _network;

    public GossipTestNode(GossipTestNetwork network, string name, GossipTestIdentity? identity, GossipsubOptions options, int seed)
    {
        _network = network;
        Name = name;
        Identity = identity;
        Router = new GossipsubRouter(options, this, network.Clock, new Random(seed), identity, identity is null ? null : new PeerKeyPubSubVerifier());
    }

    public string Name { get; }

    public GossipTestIdentity? Identity { get; }

    public GossipsubRouter Router { get; }

    public List<GossipMessage> Delivered { get; } = [];

    public List<string> Graylisted { get; } = [];

    public List<(string From, string Topic, int Count)> Exchanges { get; } = [];

    public List<string> LogLines { get; } = [];

    public int RpcsSent { get; set; }

    public int MessagesSent { get; set; }

    public void Send(string peer, RPC rpc) => _network.Enqueue(Name, peer, rpc, this);

    public void Deliver(GossipMessage message) => Delivered.Add(message);

    public void PeerGraylisted(string peer, double score, string reason) => Graylisted.Add(peer);

    public void PeerExchange(string fromPeer, string topic, IReadOnlyList<PeerInfo> peers) => Exchanges.Add((fromPeer, topic, peers.Count));

    public void Log(string line) => LogLines.Add(line);

    public override string ToString() => Name;
}

/// <summary>
/// Routers wired together in memory. RPCs travel as encoded bytes (so the protobuf round trip is exercised)
/// through one FIFO queue; with seeded randomness and a manual clock every run is the same.
/// </summary>
internal sealed class GossipTestNetwork
{
    private readonly Queue<(string From, string To, byte[] Bytes)> _queue = new();
    private readonly Random _seeds;

    public GossipTestNetwork(int seed) => _seeds = new Random(seed);

    public ManualClock Clock { get; } = new();

    public Dictionary<string, GossipTestNode> Nodes { get; } = new(StringComparer.Ordinal);

    public HashSet<(string, string)> Links { get; } = [];

    /// <summary>Return true to drop an RPC in flight (from, to, rpc).</summary>
    public Func<string, string, RPC, bool>? Drop { get; set; }

    public GossipTestNode Add(GossipsubOptions? options = null, bool signed = true)
    {
        var seed = _seeds.Next();
        var identity = signed ? new GossipTestIdentity(new Random(seed)) : null;
        var name = identity?.Name ?? $"node{Nodes.Count}";
        var node = new GossipTestNode(this, name, identity, options ?? new GossipsubOptions(), seed);
        Nodes[name] = node;
        return node;
    }

    public List<GossipTestNode> AddMany(int count, GossipsubOptions? options = null, bool signed = true)
    {
        var list = new List<GossipTestNode>(count);
        for (var i = 0; i < count; i++)
            list.Add(Add(options, signed));
        return list;
    }

    /// <summary>Connects <paramref name="dialer"/> (outbound) to <paramref name="listener"/> (inbound).</summary>
    public void Connect(GossipTestNode dialer, GossipTestNode listener, GossipProtocol protocol = GossipProtocol.Meshsub11)
    {
        if (dialer == listener || !Links.Add((dialer.Name, listener.Name)) || !Links.Add((listener.Name, dialer.Name)))
            return;
        dialer.Router.AddPeer(listener.Name, listener.Identity?.PeerIdBytes ?? default, protocol, outbound: true);
        listener.Router.AddPeer(dialer.Name, dialer.Identity?.PeerIdBytes ?? default, protocol, outbound: false);
        Run();
    }

    public void Disconnect(GossipTestNode a, GossipTestNode b)
    {
        Links.Remove((a.Name, b.Name));
        Links.Remove((b.Name, a.Name));
        a.Router.RemovePeer(b.Name);
        b.Router.RemovePeer(a.Name);
    }

    /// <summary>Connects every node to <paramref name="degree"/> random others (seeded).</summary>
    public void ConnectRandomly(IReadOnlyList<GossipTestNode> nodes, int degree)
    {
        var rng = new Random(_seeds.Next());
        foreach (var node in nodes)
        {
            for (var i = 0; i < degree; i++)
                Connect(node, nodes[rng.Next(nodes.Count)]);
        }
    }

    public void Enqueue(string from, string to, RPC rpc, GossipTestNode sender)
    {
        sender.RpcsSent++;
        sender.MessagesSent += rpc.Publish.Count;
        _queue.Enqueue((from, to, rpc.ToByteArray()));
    }

    /// <summary>Delivers queued RPCs (and those they cause) until the network is quiet.</summary>
    public int Run(int maxSteps = 10_000_000)
    {
        var steps = 0;
        while (_queue.TryDequeue(out var item))
        {
            if (++steps > maxSteps)
                throw new InvalidOperationException("gossip network did not settle");
            if (!Links.Contains((item.From, item.To)) || !Nodes.TryGetValue(item.To, out var target))
                continue;
            var rpc = RPC.Parser.ParseFrom(item.Bytes);
            if (Drop?.Invoke(item.From, item.To, rpc) == true)
                continue;
            target.Router.HandleRpc(item.From, rpc);
        }

        return steps;
    }

    /// <summary>Advances the clock by one heartbeat interval, runs every router's heartbeat, and settles.</summary>
    public void Heartbeat(int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            foreach (var node in Nodes.Values)
                node.Router.Heartbeat();
            Run();
        }
    }

    /// <summary>Injects an RPC as if <paramref name="from"/> had sent it to <paramref name="to"/>, then settles.</summary>
    public void Inject(string from, GossipTestNode to, RPC rpc)
    {
        to.Router.HandleRpc(from, RPC.Parser.ParseFrom(rpc.ToByteArray()));
        Run();
    }
}
