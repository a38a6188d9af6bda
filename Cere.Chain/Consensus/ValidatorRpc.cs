using System.Net;
using Cere.Chain.Blocks;
using Cere.Chain.Network;
using Cere.Chain.Rpc;
using Cere.Chain.Rpc.Modules;
using Cere.Chain.TxPool;

namespace Cere.Chain.Consensus;

/// <summary>The JSON-RPC server of a validator: the same methods as the dev chain (<see cref="EthereumRpcMethods"/>), over the validator's chain and pool.</summary>
public static class ValidatorRpc
{
    /// <summary>A server (not started) on <paramref name="address"/>:<paramref name="port"/>; <paramref name="syncProgress"/> answers <c>eth_syncing</c>.</summary>
    public static RpcServer Create(Blockchain chain, TransactionPool pool, IPAddress address, int port, Func<SyncProgress>? syncProgress = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(address);
        RpcLimits limits = new();
        RpcMethodRegistry methods = EthereumRpcMethods.Create(chain, pool, limits, syncProgress);
        return new RpcServer(new RpcServerOptions { Address = address, Port = port, Limits = limits }, methods);
    }
}
