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
}
