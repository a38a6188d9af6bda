namespace Cere.P2P.PubSub;

/// <summary>Score thresholds (gossipsub-v1.1.md "Score Thresholds"); defaults are js-libp2p's.</summary>
public sealed class PeerScoreThresholds
{
    /// <summary>Below this no gossip is sent to or accepted from the peer. Must be &lt; 0.</summary>
    public double GossipThreshold { get; init; } = -10;

    /// <summary>Below this our own messages are not flood-published to the peer. Must be ≤ GossipThreshold.</summary>
    public double PublishThreshold { get; init; } = -50;

    /// <summary>Below this every RPC from the peer is ignored (graylisted). Must be &lt; PublishThreshold.</summary>
    public double GraylistThreshold { get; init; } = -80;

    /// <summary>Peer exchange from a peer is used only at or above this score. Must be ≥ 0.</summary>
    public double AcceptPxThreshold { get; init; } = 10;

    /// <summary>When the median mesh score is below this, better peers are grafted opportunistically. Must be ≥ 0.</summary>
    public double OpportunisticGraftThreshold { get; init; } = 20;

    /// <summary>Throws <see cref="ArgumentException"/> when the thresholds are out of the order the spec requires.</summary>
    public void Validate()
    {
        if (GossipThreshold >= 0)
            throw new ArgumentException("gossip threshold must be negative");
        if (PublishThreshold > GossipThreshold)
            throw new ArgumentException("publish threshold must be ≤ gossip threshold");
        if (GraylistThreshold >= PublishThreshold)
            throw new ArgumentException("graylist threshold must be < publish threshold");
        if (AcceptPxThreshold < 0 || OpportunisticGraftThreshold < 0)
            throw new ArgumentException("accept-PX and opportunistic-graft thresholds must be ≥ 0");
    }
}
