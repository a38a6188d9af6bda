using Cere.Chain.Blocks;
using Cere.Chain.Network;
using Cere.Chain.Rpc.Filters;
using Cere.Chain.Rpc.Subscriptions;
using Cere.Chain.TxPool;

namespace Cere.Chain.Rpc.Modules;

/// <summary>
/// The standard <c>web3_*</c>, <c>net_*</c> and <c>eth_*</c> method set over one chain and pool: one list, so every kind
/// of node (dev chain, validator) serves the same methods.
/// </summary>
public static class EthereumRpcMethods
{
    /// <summary>
    /// A registry with every standard module registered, under <paramref name="limits"/>; <paramref name="syncProgress"/>
    /// answers <c>eth_syncing</c> (null: a node that never syncs, such as the dev chain, answers false).
    /// </summary>
    public static RpcMethodRegistry Create(Blockchain chain, TransactionPool pool, RpcLimits limits, Func<SyncProgress>? syncProgress = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(limits);
        RpcMethodRegistry methods = new();
        ChainReader reader = new(chain);
        NetModule.Register(methods, chain.Spec.ChainId);
        EthFeeModule.Register(methods, reader, syncProgress);
        EthStateModule.Register(methods, reader, pool);
        EthBlockModule.Register(methods, reader, pool);
        EthSendModule.Register(methods, chain, pool);
        EthCallModule.Register(methods, reader);
        EthProofModule.Register(methods, reader);
        LogQueryRunner logQueries = new(chain, limits);
        EthLogsModule.Register(methods, logQueries);
        EthFilterModule.Register(methods, new FilterStore(chain, pool, limits), logQueries);
        EthSubscribeModule.Register(methods, new SubscriptionHub(chain, pool, limits));
        return methods;
    }
}
