namespace Cere.P2P.Hosting;

/// <summary>
/// Handles an inbound stream whose protocol was negotiated. The handler owns the stream: it disposes it when done
/// (the host resets it if the handler throws). <paramref name="ct"/> is cancelled when the host stops.
/// </summary>
public delegate Task StreamHandler(P2pStream stream, CancellationToken ct);
