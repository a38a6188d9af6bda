using Cere.Chain.Blocks;
using Cere.Chain.TxPool;
using Cere.Core;
using Cere.Core.Transactions;

namespace Cere.Chain.Rpc.Modules;

/// <summary>eth_sendRawTransaction: decode, validate against the head, add to the pool, return the hash.</summary>
public static class EthSendModule
{
    /// <summary>Adds the method to <paramref name="registry"/>.</summary>
    public static void Register(RpcMethodRegistry registry, Blockchain chain, TransactionPool pool)
    {
        registry.Register("eth_sendRawTransaction", (args, w, _) =>
        {
            args.ExpectCount(1, 1);
            byte[] raw = args.GetData(0);
            Transaction tx;
            try
            {
                tx = TransactionDecoder.Decode(raw);
            }
            catch (TransactionException e)
            {
                // geth answers undecodable bytes with -32000 "rlp: …"/"transaction type not supported".
                throw new RpcException(RpcErrorCodes.ServerError, e.Error == TxError.TypeNotSupported ? "transaction type not supported" : $"rlp: {e.Message}");
            }

            try
            {
                Core.Blocks.BlockHeader head = chain.Head;
                Hash256 hash = pool.Add(tx, chain.OpenState(head.StateRoot), head.GasLimit);
                w.WriteStringValue(Hex.Encode(hash.Bytes));
            }
            catch (TxPoolException e)
            {
                throw new RpcException(RpcErrorCodes.ServerError, e.Message);
            }
        });
    }
}
