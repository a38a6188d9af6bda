namespace Cere.P2P.PubSub;

/// <summary>
/// Gossipsub router parameters. Defaults are the spec's (gossipsub-v1.0.md "Parameters",
/// gossipsub-v1.1.md "Overview of New Parameters"), which js- and go-libp2p also use.
/// </summary>
public sealed class GossipsubOptions
{
    /// <summary>D: desired mesh degree.</summary>
    public int D { get; init; } = 6;

    /// <summary>D_lo: below this many mesh peers the heartbeat grafts more.</summary>
    public int DLow { get; init; } = 4;

    /// <summary>D_hi: above this many mesh peers the heartbeat prunes down to D.</summary>
    public int DHigh { get; init; } = 12;

    /// <summary>D_lazy: minimum number of peers to emit gossip (IHAVE) to per topic.</summary>
    public int DLazy { get; init; } = 6;

    /// <summary>D_score: mesh peers kept by score when pruning for oversubscription.</summary>
    public int DScore { get; init; } = 4;

    /// <summary>D_out: outbound-connection peers kept in every mesh (must be &lt; D_lo and ≤ D/2).</summary>
    public int DOut { get; init; } = 2;

    /// <summary>Heartbeat period.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a fanout set is kept after our last publish to its topic.</summary>
    public TimeSpan FanoutTtl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Number of heartbeat windows a message stays in the message cache (answers IWANT).</summary>
    public int MessageCacheLength { get; init; } = 5;

    /// <summary>Number of most recent windows whose ids are gossiped in IHAVE.</summary>
    public int MessageCacheGossip { get; init; } = 3;

    /// <summary>Upper bound on cached messages; beyond it the oldest leave early (bounds memory under a flood).</summary>
    public int MessageCacheCapacity { get; init; } = 20_000;

    /// <summary>How long a message id is remembered as seen.</summary>
    public TimeSpan SeenTtl { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Upper bound on remembered message ids, so a flood cannot grow memory without limit (oldest go first).</summary>
    public int SeenCapacity { get; init; } = 200_000;

    /// <summary>Backoff after a PRUNE before either side may GRAFT again.</summary>
    public TimeSpan PruneBackoff { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Backoff announced in the PRUNEs we send when we leave a topic.</summary>
    public TimeSpan UnsubscribeBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A GRAFT this soon after a PRUNE counts double (go/js graftFloodThreshold).</summary>
    public TimeSpan GraftFloodThreshold { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Publish our own messages to every topic peer above the publish threshold, not only the mesh.</summary>
    public bool FloodPublish { get; init; } = true;

    /// <summary>Fraction of eligible peers that receive gossip, at least <see cref="DLazy"/>.</summary>
    public double GossipFactor { get; init; } = 0.25;

    /// <summary>Peers offered in a PRUNE (peer exchange) to a v1.1 peer.</summary>
    public int PrunePeers { get; init; } = 16;

    /// <summary>IHAVE control messages accepted from one peer per heartbeat.</summary>
    public int MaxIHaveMessages { get; init; } = 10;

    /// <summary>Message ids accepted in IHAVEs from one peer per heartbeat, and the most we put in one IHAVE.</summary>
    public int MaxIHaveLength { get; init; } = 5000;

    /// <summary>Times we answer IWANT for the same message to the same peer.</summary>
    public int GossipRetransmission { get; init; } = 3;

    /// <summary>Time a peer has to deliver a message it advertised in IHAVE and we asked for.</summary>
    public TimeSpan IWantFollowupTime { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Heartbeats between opportunistic grafting checks.</summary>
    public int OpportunisticGraftTicks { get; init; } = 60;

    /// <summary>Peers grafted per opportunistic grafting round.</summary>
    public int OpportunisticGraftPeers { get; init; } = 2;

    /// <summary>Largest message payload accepted or published, in bytes (pubsub/README.md suggests 1 MiB).</summary>
    public int MaxMessageSize { get; init; } = 1 << 20;

    /// <summary>Largest encoded RPC frame accepted from a peer, in bytes.</summary>
    public int MaxRpcSize { get; init; } = 4 << 20;

    /// <summary>Topics one peer may be subscribed to; further subscriptions are ignored.</summary>
    public int MaxTopicsPerPeer { get; init; } = 1000;

    /// <summary>Longest topic name accepted, in bytes of UTF-8.</summary>
    public int MaxTopicLength { get; init; } = 256;

    /// <summary>Signing policy for every topic.</summary>
    public SignaturePolicy SignaturePolicy { get; init; } = SignaturePolicy.StrictSign;

    /// <summary>Custom message id function; null uses from‖seqno (StrictSign) or SHA-256(data) (StrictNoSign), as js-libp2p does.</summary>
    public Func<Wire.Message, byte[]>? MessageIdFunction { get; init; }

    /// <summary>Peer scoring parameters.</summary>
    public PeerScoreParams Score { get; init; } = new();

    /// <summary>Score thresholds.</summary>
    public PeerScoreThresholds Thresholds { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent parameter.</summary>
    public void Validate()
    {
        if (D <= 0 || DLow <= 0 || DLow > D || DHigh < D)
            throw new ArgumentException($"gossipsub degrees must satisfy 0 < D_lo ≤ D ≤ D_hi (got D_lo={DLow}, D={D}, D_hi={DHigh})");
        if (DOut < 0 || DOut >= DLow || DOut > D / 2)
            throw new ArgumentException($"D_out must be < D_lo and ≤ D/2 (got {DOut})");
        if (DScore < 0 || DScore > D)
            throw new ArgumentException($"D_score must be within 0..D (got {DScore})");
        if (MessageCacheGossip <= 0 || MessageCacheGossip > MessageCacheLength)
            throw new ArgumentException($"mcache gossip windows ({MessageCacheGossip}) must be within 1..{MessageCacheLength}");
        if (HeartbeatInterval <= TimeSpan.Zero)
            throw new ArgumentException("heartbeat interval must be positive");
        if (GossipFactor is < 0 or > 1)
            throw new ArgumentException($"gossip factor must be within 0..1 (got {GossipFactor})");
        if (MaxMessageSize <= 0 || MaxRpcSize < MaxMessageSize)
            throw new ArgumentException("max RPC size must be at least the max message size");
        if (SeenCapacity <= 0 || MessageCacheCapacity <= 0)
            throw new ArgumentException("seen and message cache capacities must be positive");
        Thresholds.Validate();
    }
}
