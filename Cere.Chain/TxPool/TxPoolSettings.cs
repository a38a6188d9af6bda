namespace Cere.Chain.TxPool;

/// <summary>Limits of the transaction pool.</summary>
public sealed record TxPoolSettings
{
    /// <summary>Most transactions one sender may have in the pool (pending and queued).</summary>
    public int MaxPerSender { get; init; } = 256;

    /// <summary>Most transactions in the pool in all.</summary>
    public int MaxTotal { get; init; } = 16_384;

    /// <summary>Minimum fee bump of a replacement, in percent of both fee fields of the transaction it replaces.</summary>
    public int ReplacementBumpPercent { get; init; } = 10;

    /// <summary>Largest accepted encoded transaction, in bytes (geth: 128 KiB).</summary>
    public int MaxTxBytes { get; init; } = 128 * 1024;
}
