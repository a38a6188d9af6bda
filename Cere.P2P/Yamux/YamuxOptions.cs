namespace Cere.P2P.Yamux;

/// <summary>Yamux limits; sizes in bytes.</summary>
public sealed class YamuxOptions
{
    /// <summary>The window every stream starts with (yamux spec "Flow Control": 256 KiB).</summary>
    public const int InitialWindow = 256 * 1024;

    /// <summary>
    /// The receive window we grant each stream (sent as a window update with SYN/ACK); it bounds the data buffered
    /// per stream, so memory per connection is at most this times <see cref="MaxInboundStreams"/> plus our own streams.
    /// </summary>
    public int ReceiveWindow { get; init; } = 1024 * 1024;

    /// <summary>Most streams the remote may have open at once; further SYNs are answered with RST.</summary>
    public int MaxInboundStreams { get; init; } = 256;

    /// <summary>Refused stream openings tolerated before the connection is dropped as abusive.</summary>
    public int MaxRefusedStreams { get; init; } = 256;

    /// <summary>Largest data frame we send: the payload of one Noise frame (65535 − 16-byte tag) minus the 12-byte header.</summary>
    public int MaxFrameData { get; init; } = 65535 - 16 - YamuxHeader.Size;

    /// <summary>
    /// After this long without any frame from the peer, we send a yamux ping (a busy connection never pings). Zero or
    /// negative turns keepalive off. 15 s, like the libp2p ping service's interval in rust- and js-libp2p.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How much longer the peer may stay silent after that before the connection is closed as dead (a silent
    /// partition, a vanished NAT mapping, a peer that stopped reading): nothing else on a TCP connection notices these,
    /// and a write blocked on a peer that no longer reads would otherwise hold the session's write lock for ever.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
