namespace Cere.Chain.Network;

/// <summary>A snapshot of block sync, in the shape of <c>eth_syncing</c> (geth): where it started, where it is, where it goes.</summary>
/// <param name="IsSyncing">True while a catch-up fetches blocks from peers.</param>
/// <param name="StartingBlock">The head when the catch-up started.</param>
/// <param name="CurrentBlock">The head now.</param>
/// <param name="HighestBlock">The highest head a peer reported.</param>
public readonly record struct SyncProgress(bool IsSyncing, ulong StartingBlock, ulong CurrentBlock, ulong HighestBlock)
{
    /// <summary>Not syncing, at <paramref name="head"/>.</summary>
    public static SyncProgress Idle(ulong head) => new(false, head, head, head);
}
