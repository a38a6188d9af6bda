namespace Cere.P2P.Hosting;

/// <summary>The remote broke a libp2p protocol rule (bad frame, bad handshake, oversized message); the connection is dropped.</summary>
public class P2pProtocolException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The remote answered <c>na</c> to every protocol we proposed.</summary>
public sealed class ProtocolNotSupportedException(IReadOnlyList<string> protocols)
    : Exception($"the remote supports none of: {string.Join(", ", protocols)}")
{
    /// <summary>The protocols we proposed.</summary>
    public IReadOnlyList<string> Protocols { get; } = protocols;
}

/// <summary>The peer at the dialed address proved a different identity than the <c>/p2p/</c> id we expected.</summary>
public sealed class PeerIdMismatchException(string message) : P2pProtocolException(message);

/// <summary>A stream or connection was used after the remote or we closed or reset it.</summary>
public sealed class StreamClosedException(string message) : IOException(message);
