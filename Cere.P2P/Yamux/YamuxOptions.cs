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
}
