namespace Cere.P2P.PubSub;

/// <summary>The pubsub protocol a peer speaks, as negotiated on its stream.</summary>
public enum GossipProtocol
{
    /// <summary><c>/floodsub/1.0.0</c>: no mesh, receives every message of its topics.</summary>
    Floodsub,

    /// <summary><c>/meshsub/1.0.0</c>: gossipsub v1.0 (PRUNE without peer exchange or backoff).</summary>
    Meshsub10,

    /// <summary><c>/meshsub/1.1.0</c>: gossipsub v1.1.</summary>
    Meshsub11,
}

/// <summary>Protocol ids for the pubsub protocols, in our order of preference.</summary>
public static class GossipProtocolIds
{
    /// <summary>gossipsub v1.1 (gossipsub-v1.1.md "Overview").</summary>
    public const string Meshsub11 = "/meshsub/1.1.0";

    /// <summary>gossipsub v1.0.</summary>
    public const string Meshsub10 = "/meshsub/1.0.0";

    /// <summary>floodsub, the pubsub baseline every gossipsub router falls back to.</summary>
    public const string Floodsub = "/floodsub/1.0.0";

    /// <summary>What we offer when opening a pubsub stream, best first; a 1.2 peer negotiates down to 1.1.</summary>
    public static readonly IReadOnlyList<string> Preferred = [Meshsub11, Meshsub10, Floodsub];

    /// <summary>Maps a negotiated protocol id to the protocol, or null when it is not a pubsub protocol we speak.</summary>
    public static GossipProtocol? Parse(string protocolId) => protocolId switch
    {
        Meshsub11 => GossipProtocol.Meshsub11,
        Meshsub10 => GossipProtocol.Meshsub10,
        Floodsub => GossipProtocol.Floodsub,
        _ => null,
    };
}
