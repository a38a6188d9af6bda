namespace Cere.Chain.Rpc.Subscriptions;

/// <summary>The eth_subscribe topics this node serves.</summary>
public enum SubscriptionKind
{
    /// <summary>"newHeads": each new block's header.</summary>
    NewHeads,

    /// <summary>"logs": each new log matching a filter.</summary>
    Logs,

    /// <summary>"newPendingTransactions": each transaction entering the pool (hash, or the object when asked for).</summary>
    NewPendingTransactions,
}
