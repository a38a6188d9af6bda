using System.Net;

namespace Cere.Chain.Rpc;

/// <summary>Where and how the JSON-RPC server listens.</summary>
public sealed record RpcServerOptions
{
    /// <summary>The address to bind; 127.0.0.1 unless the operator says otherwise.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The TCP port for HTTP and WebSocket (0 picks a free one).</summary>
    public int Port { get; init; } = 8545;

    /// <summary>Origins allowed by CORS ("*" for any); empty sends no CORS headers (browsers then refuse).</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Host header values accepted (DNS-rebinding protection); "*" accepts any.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Request and batch limits.</summary>
    public RpcLimits Limits { get; init; } = new();

    /// <summary>Most WebSocket connections at once.</summary>
    public int MaxWebSocketConnections { get; init; } = 256;

    /// <summary>Messages queued per WebSocket connection before pushes are dropped (a slow client).</summary>
    public int WebSocketSendQueue { get; init; } = 4096;
}
