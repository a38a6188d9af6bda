using Cere.P2P.Crypto;
using Cere.P2P.Yamux;

namespace Cere.P2P.Hosting;

/// <summary>Settings of a <see cref="Host"/>; every time is a <see cref="TimeSpan"/>, every size is in bytes.</summary>
public sealed class HostOptions
{
    /// <summary>Our identity key (a fresh Ed25519 key if not set).</summary>
    public PeerPrivateKey Identity { get; init; } = PeerPrivateKey.Generate();

    /// <summary>The agent version identify reports.</summary>
    public string AgentVersion { get; init; } = "cere-node";

    /// <summary>The protocol version identify reports.</summary>
    public string ProtocolVersion { get; init; } = "ipfs/0.1.0";

    /// <summary>Time allowed to open the TCP connection.</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for the whole upgrade (multistream-select, Noise, yamux) after TCP connects.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for a peer to choose the protocol of a new stream.</summary>
    public TimeSpan StreamNegotiationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most connections held at once (inbound beyond this are closed at accept).</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>
    /// Most inbound connections from one source still in their handshake (an IPv4 address, or an IPv6 /64, the block a
    /// single host is usually given). Beyond it new connections from that source are closed at accept, so one host that
    /// opens connections and stalls them cannot fill <see cref="MaxConnections"/> for everybody else; a real peer has one
    /// or two handshakes in flight.
    /// </summary>
    public int MaxPendingInboundPerSource { get; init; } = 16;

    /// <summary>Yamux settings for every connection.</summary>
    public YamuxOptions Yamux { get; init; } = new();

    /// <summary>Where log lines go (one line per call); standard error when null.</summary>
    public Action<string>? Log { get; init; }
}
