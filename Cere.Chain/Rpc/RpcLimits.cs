namespace Cere.Chain.Rpc;

/// <summary>Limits that keep one client from exhausting the node (values as geth's defaults where geth has one).</summary>
public sealed record RpcLimits
{
    /// <summary>Largest request body in bytes (HTTP and one WebSocket message).</summary>
    public int MaxRequestBytes { get; init; } = 5 * 1024 * 1024;

    /// <summary>Most calls in one batch.</summary>
    public int MaxBatchLength { get; init; } = 1000;

    /// <summary>Largest batch response in bytes; calls past it get a limit error instead of a result.</summary>
    public int MaxBatchResponseBytes { get; init; } = 25 * 1024 * 1024;

    /// <summary>Most blocks one eth_getLogs / eth_getFilterLogs call may span.</summary>
    public int MaxLogBlockRange { get; init; } = 10_000;

    /// <summary>Most logs one eth_getLogs / eth_getFilterLogs call may return.</summary>
    public int MaxLogResults { get; init; } = 10_000;

    /// <summary>Most filters installed at once (eth_newFilter and friends), over all clients.</summary>
    public int MaxFilters { get; init; } = 4096;

    /// <summary>How long a filter lives without being polled (geth: five minutes).</summary>
    public TimeSpan FilterTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Most unread items (logs or hashes) one filter keeps; later ones are dropped until it is polled.</summary>
    public int MaxFilterBacklog { get; init; } = 10_000;

    /// <summary>Most eth_subscribe subscriptions one WebSocket connection may hold.</summary>
    public int MaxSubscriptionsPerConnection { get; init; } = 1024;
}
