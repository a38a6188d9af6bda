using Cere.P2P.Addressing;
using Cere.P2P.Crypto;

namespace Cere.P2P.Hosting;

/// <summary>What a peer told us about itself over identify (<c>/ipfs/id/1.0.0</c> or a push).</summary>
public sealed record IdentifyInfo(
    string? ProtocolVersion,
    string? AgentVersion,
    PeerPublicKey? PublicKey,
    IReadOnlyList<Multiaddr> ListenAddresses,
    Multiaddr? ObservedAddress,
    IReadOnlyList<string> Protocols);
