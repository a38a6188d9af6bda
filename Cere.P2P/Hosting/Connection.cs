using Cere.P2P.Addressing;
using Cere.P2P.Crypto;
using Cere.P2P.Multistream;
using Cere.P2P.Yamux;

namespace Cere.P2P.Hosting;

/// <summary>
/// An upgraded libp2p connection (TCP + Noise + yamux) to one authenticated peer; open streams on it by protocol id.
/// </summary>
public sealed class Connection : IAsyncDisposable
{
    private readonly YamuxSession _session;
    private readonly TaskCompletionSource<IdentifyInfo?> _identified = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal Connection(YamuxSession session, PeerPublicKey remoteKey, Multiaddr remoteAddress, Multiaddr localAddress, ConnectionDirection direction)
    {
        _session = session;
        RemotePublicKey = remoteKey;
        RemotePeer = remoteKey.ToPeerId();
        RemoteAddress = remoteAddress;
        LocalAddress = localAddress;
        Direction = direction;
        session.Connection = this;
    }

    /// <summary>The authenticated remote peer.</summary>
    public PeerId RemotePeer { get; }

    /// <summary>The remote's identity key, as proven in the Noise handshake.</summary>
    public PeerPublicKey RemotePublicKey { get; }

    /// <summary>The remote's TCP address (without <c>/p2p</c>).</summary>
    public Multiaddr RemoteAddress { get; }

    /// <summary>Our side's TCP address.</summary>
    public Multiaddr LocalAddress { get; }

    /// <summary>Who dialed.</summary>
    public ConnectionDirection Direction { get; }

    /// <summary>The latest identify result (null until the first exchange finished).</summary>
    public IdentifyInfo? Identify { get; private set; }

    /// <summary>Completes with the first identify result, or null if identify failed.</summary>
    public Task<IdentifyInfo?> Identified => _identified.Task;

    /// <summary>True once the connection closed.</summary>
    public bool IsClosed => _session.IsClosed;

    /// <summary>Completes when the connection closes.</summary>
    public Task Closed => _session.Closed;

    /// <summary>Why the connection closed (null while open).</summary>
    public string? CloseReason => _session.CloseReason;

    /// <summary>How many streams are open on the connection.</summary>
    public int StreamCount => _session.StreamCount;

    internal YamuxSession Session => _session;

    internal void SetIdentify(IdentifyInfo? info)
    {
        if (info is not null)
        {
            Identify = info;
        }

        _identified.TrySetResult(info);
    }

    /// <summary>Opens a stream for one protocol; throws <see cref="ProtocolNotSupportedException"/> if the remote answers <c>na</c>.</summary>
    public Task<P2pStream> OpenStreamAsync(string protocol, CancellationToken ct) => OpenStreamAsync([protocol], ct);

    /// <summary>Opens a stream proposing the protocols in order of preference; the result's <see cref="P2pStream.Protocol"/> is the one chosen.</summary>
    public async Task<P2pStream> OpenStreamAsync(IReadOnlyList<string> protocols, CancellationToken ct)
    {
        YamuxStream stream = await _session.OpenStreamAsync(ct).ConfigureAwait(false);
        try
        {
            string chosen = await MultistreamSelect.SelectAsync(stream, protocols, ct).ConfigureAwait(false);
            stream.SetProtocol(chosen);
            return stream;
        }
        catch
        {
            stream.Reset();
            throw;
        }
    }

    /// <summary>Closes the connection (yamux go-away, then the socket).</summary>
    public ValueTask CloseAsync() => _session.DisposeAsync();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => CloseAsync();

    /// <inheritdoc />
    public override string ToString() => $"{Direction.ToString().ToLowerInvariant()} {RemoteAddress}/p2p/{RemotePeer}";
}
