namespace Cere.Chain.Rpc;

/// <summary>What a method handler knows about the call: the transport and, for WebSocket, the connection to push to.</summary>
public sealed class RpcCallContext
{
    /// <summary>A context for calls over HTTP (no push channel).</summary>
    public static readonly RpcCallContext Http = new(null);

    private List<Action>? _afterResponse;

    /// <summary>Creates a context.</summary>
    public RpcCallContext(IRpcPushChannel? pushChannel) => PushChannel = pushChannel;

    /// <summary>The WebSocket connection, where subscriptions deliver notifications; null over HTTP.</summary>
    public IRpcPushChannel? PushChannel { get; }

    /// <summary>
    /// Runs <paramref name="action"/> once the response of the current call is queued on the connection (at once over
    /// HTTP): a new subscription starts delivering only after its id reached the client, so no notification precedes it.
    /// </summary>
    /// <remarks>Calls of one connection are processed one at a time, so the list needs no lock.</remarks>
    public void AfterResponse(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (PushChannel is null)
        {
            action();
            return;
        }

        (_afterResponse ??= []).Add(action);
    }

    /// <summary>Runs (and forgets) what <see cref="AfterResponse"/> collected; the transport calls it after queueing a response.</summary>
    public void RunAfterResponse()
    {
        List<Action>? actions = _afterResponse;
        if (actions is null)
        {
            return;
        }

        _afterResponse = null;
        foreach (Action a in actions)
        {
            a();
        }
    }
}

/// <summary>A connection that can receive server-initiated messages (eth_subscription notifications).</summary>
public interface IRpcPushChannel
{
    /// <summary>Queues a complete JSON message for sending; returns false when the connection is closed or its queue is full.</summary>
    bool TryPush(byte[] utf8Json);

    /// <summary>Raised once when the connection closes, so subscriptions can be dropped.</summary>
    event Action? Closed;
}
