namespace Cere.Chain.Rpc;

/// <summary>What a method handler knows about the call: the transport and, for WebSocket, the connection to push to.</summary>
public sealed class RpcCallContext
{
    /// <summary>A context for calls over HTTP (no push channel).</summary>
    public static readonly RpcCallContext Http = new(null);

    /// <summary>Creates a context.</summary>
    public RpcCallContext(IRpcPushChannel? pushChannel) => PushChannel = pushChannel;

    /// <summary>The WebSocket connection, where subscriptions deliver notifications; null over HTTP.</summary>
    public IRpcPushChannel? PushChannel { get; }
}

/// <summary>A connection that can receive server-initiated messages (eth_subscription notifications).</summary>
public interface IRpcPushChannel
{
    /// <summary>Queues a complete JSON message for sending; returns false when the connection is closed or its queue is full.</summary>
    bool TryPush(byte[] utf8Json);

    /// <summary>Raised once when the connection closes, so subscriptions can be dropped.</summary>
    event Action? Closed;
}
