using System.Net;
using Cere.Chain.Blocks;
using Cere.Chain.Rpc;
using Cere.Chain.Rpc.Filters;
using Cere.Chain.Rpc.Modules;
using Cere.Chain.Rpc.Subscriptions;
using Cere.Chain.TxPool;

namespace Cere.Chain.Consensus;

/// <summary>The JSON-RPC server of a validator: the same <c>net_*</c> and <c>eth_*</c> modules as the dev chain, over the validator's chain and pool.</summary>
public static class ValidatorRpc
{
    /// <summary>A server (not started) on <paramref name="address"/>:<paramref name="port"/>.</summary>
    public static RpcServer Create(Blockchain chain, TransactionPool pool, IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(address);
        RpcMethodRegistry methods = new();
        ChainReader reader = new(chain);
        NetModule.Register(methods, chain.Spec.ChainId);
        EthFeeModule.Register(methods, reader);
        EthStateModule.Register(methods, reader, pool);
        EthBlockModule.Register(methods, reader, pool);
        EthSendModule.Register(methods, chain, pool);
        EthCallModule.Register(methods, reader);
        EthProofModule.Register(methods, reader);
        RpcLimits limits = new();
        EthLogsModule.Register(methods, new LogQueryRunner(chain, limits));
        EthSubscribeModule.Register(methods, new SubscriptionHub(chain, pool, limits));
        return new RpcServer(new RpcServerOptions { Address = address, Port = port, Limits = limits }, methods);
    }
}
