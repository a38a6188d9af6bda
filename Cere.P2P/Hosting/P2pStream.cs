namespace Cere.P2P.Hosting;

/// <summary>
/// One multiplexed stream of a connection, after its protocol was negotiated. Reading returns 0 once the remote
/// closed its side; <see cref="CloseWriteAsync"/> half-closes ours; disposing closes both; <see cref="Reset"/> aborts.
/// </summary>
public abstract class P2pStream : Stream
{
    /// <summary>The negotiated protocol id (e.g. <c>/ipfs/ping/1.0.0</c>).</summary>
    public abstract string Protocol { get; }

    /// <summary>The connection this stream runs on.</summary>
    public abstract Connection Connection { get; }

    /// <summary>Signals the remote that we will write no more (yamux FIN); reading stays open.</summary>
    public abstract ValueTask CloseWriteAsync(CancellationToken ct = default);

    /// <summary>Aborts the stream in both directions (yamux RST); pending reads and writes fail.</summary>
    public abstract void Reset();
}
