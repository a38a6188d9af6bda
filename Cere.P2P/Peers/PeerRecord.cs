using Cere.P2P.Addressing;
using Cere.P2P.Crypto;

namespace Cere.P2P.Peers;

/// <summary>What the peer store knows about one peer (a snapshot; the store owns the live entry).</summary>
/// <param name="Peer">The peer.</param>
/// <param name="Addresses">Dialable addresses (without <c>/p2p</c>), most recently learned first.</param>
/// <param name="Protocols">Protocols it announced over identify.</param>
/// <param name="AgentVersion">Its agent string, if identified.</param>
/// <param name="IsBootnode">A configured bootnode: always redialled.</param>
/// <param name="BannedUntil">Ban expiry, or null when not banned.</param>
/// <param name="BanReason">Why it was banned.</param>
/// <param name="FailedDials">Consecutive failed dials (drives the reconnect backoff).</param>
/// <param name="NextDialAt">Earliest time we try it again.</param>
/// <param name="LastSeen">When we last had a connection to it.</param>
public sealed record PeerRecord(
    PeerId Peer,
    IReadOnlyList<Multiaddr> Addresses,
    IReadOnlyList<string> Protocols,
    string? AgentVersion,
    bool IsBootnode,
    DateTimeOffset? BannedUntil,
    string? BanReason,
    int FailedDials,
    DateTimeOffset NextDialAt,
    DateTimeOffset LastSeen);
