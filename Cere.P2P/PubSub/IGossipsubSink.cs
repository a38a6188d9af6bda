using Cere.P2P.PubSub.Wire;

namespace Cere.P2P.PubSub;

/// <summary>Where a <see cref="GossipsubRouter"/> sends its effects: RPCs to peers, messages to subscribers, and notices.</summary>
public interface IGossipsubSink
{
    /// <summary>Queues <paramref name="rpc"/> for <paramref name="peer"/>; must not block and must not call back into the router.</summary>
    void Send(string peer, RPC rpc);

    /// <summary>A valid message arrived on a topic we subscribe to.</summary>
    void Deliver(GossipMessage message);

    /// <summary>A peer's score fell below the graylist threshold; its RPCs are now ignored and it may be disconnected.</summary>
    void PeerGraylisted(string peer, double score, string reason);

    /// <summary>Peer exchange: a trusted peer pruned us and suggested these peers (binary peer ids, optional signed records).</summary>
    void PeerExchange(string fromPeer, string topic, IReadOnlyList<PeerInfo> peers);

    /// <summary>A line for the operator log (why a peer was pruned, penalised, ignored).</summary>
    void Log(string line);
}
