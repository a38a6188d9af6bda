using Cere.P2P.Addressing;

namespace Cere.P2P.Peers;

/// <summary>Connection manager settings.</summary>
public sealed class ConnectionManagerOptions
{
    /// <summary>Bootnodes (<c>/ip4/…/tcp/…/p2p/&lt;id&gt;</c>): dialled at start and redialled whenever the connection drops.</summary>
    public IReadOnlyList<Multiaddr> Bootnodes { get; init; } = [];

    /// <summary>Most connected peers; beyond it the lowest-scoring peer is dropped.</summary>
    public int MaxPeers { get; init; } = 50;

    /// <summary>Below this many connected peers, known non-bootnode peers with addresses are dialled too.</summary>
    public int MinPeers { get; init; } = 8;

    /// <summary>First reconnect delay.</summary>
    public TimeSpan ReconnectInitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest reconnect delay.</summary>
    public TimeSpan ReconnectMaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the manager checks connections and due redials.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a misbehaving peer stays banned.</summary>
    public TimeSpan BanDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Dial only the bootnodes, at the addresses configured for them: addresses learned from identify or from connections
    /// are not recorded and other peers are never dialled (geth's <c>--nodiscover</c> with static peers). For fixed
    /// topologies, e.g. tests that route every link through a fault-injecting proxy.
    /// </summary>
    public bool DialOnlyBootnodeAddresses { get; init; }

    /// <summary>Peers whose score falls below this are banned and dropped (the gossipsub graylist threshold by default).</summary>
    public double DisconnectScoreThreshold { get; init; } = -80;

    /// <summary>Throws <see cref="ArgumentException"/> for inconsistent values.</summary>
    public void Validate()
    {
        if (MaxPeers <= 0 || MinPeers < 0 || MinPeers > MaxPeers)
            throw new ArgumentException($"need 0 ≤ MinPeers ≤ MaxPeers and MaxPeers > 0 (got {MinPeers}, {MaxPeers})");
        if (CheckInterval <= TimeSpan.Zero || BanDuration <= TimeSpan.Zero)
            throw new ArgumentException("check interval and ban duration must be positive");
        foreach (var b in Bootnodes)
        {
            if (b.PeerId is null)
                throw new ArgumentException($"bootnode {b} lacks /p2p/<peer id>");
        }
    }
}
